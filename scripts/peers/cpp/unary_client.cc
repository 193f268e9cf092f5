// Unary client (proto v1): the tutorial's sync unary client in gRPC C++.
// Same two printed lines; --target and --name default to "localhost:50051" and
// "Jack"; --name-file reads the name from a file.
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "peer.h"
#include "tutorial/helloworld/v1/helloworld.grpc.pb.h"

using tutorial::helloworld::v1::GreeterService;
using tutorial::helloworld::v1::SayHelloRequest;
using tutorial::helloworld::v1::SayHelloResponse;

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  std::string name = flags.get("name", "Jack");
  std::string name_file = flags.get("name-file", "");
  if (!name_file.empty()) {
    std::ifstream file(name_file);
    std::stringstream contents;
    contents << file.rdbuf();
    name = contents.str();
  }
  std::cout << "Will try to greet world ..." << std::endl;
  auto channel = grpc::CreateChannel(flags.get("target", "localhost:50051"), grpc::InsecureChannelCredentials());
  auto stub = GreeterService::NewStub(channel);
  SayHelloRequest request;
  request.set_name(name);
  SayHelloResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub->SayHello(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "could not greet: " << status.error_code() << ": " << status.error_message() << std::endl;
    return 1;
  }
  std::cout << "Greeter client received: " << response.message() << std::endl;
}
