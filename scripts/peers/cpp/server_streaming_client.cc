// Server-streaming client (proto v2): the tutorial's client that prints every
// greeting of the stream, in gRPC C++. --target and --name default to
// "localhost:50051" and "Jack".
#include <grpcpp/grpcpp.h>

#include <iostream>

#include "peer.h"
#include "tutorial/helloworld/v2/helloworld.grpc.pb.h"

using tutorial::helloworld::v2::GreeterService;
using tutorial::helloworld::v2::SayHelloRequest;
using tutorial::helloworld::v2::SayHelloResponse;

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  std::cout << "Will try to greet world ..." << std::endl;
  auto channel = grpc::CreateChannel(flags.get("target", "localhost:50051"), grpc::InsecureChannelCredentials());
  auto stub = GreeterService::NewStub(channel);
  SayHelloRequest request;
  request.set_name(flags.get("name", "Jack"));
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<SayHelloResponse>> responses = stub->SayHello(&context, request);
  SayHelloResponse response;
  while (responses->Read(&response)) {
    std::cout << "Greeter client received: " << response.message() << std::endl;
  }
  grpc::Status status = responses->Finish();
  if (!status.ok()) {
    std::cerr << "stream failed: " << status.error_code() << ": " << status.error_message() << std::endl;
    return 1;
  }
}
