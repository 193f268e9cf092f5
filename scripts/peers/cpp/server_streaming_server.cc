// Server-streaming server (proto v2): the tutorial's server that sends five
// greetings, in gRPC C++ (sync API). --host and --port default to "0.0.0.0", "50051".
#include <grpcpp/grpcpp.h>

#include <iostream>

#include "peer.h"
#include "tutorial/helloworld/v2/helloworld.grpc.pb.h"

using tutorial::helloworld::v2::GreeterService;
using tutorial::helloworld::v2::SayHelloRequest;
using tutorial::helloworld::v2::SayHelloResponse;

class Greeter final : public GreeterService::Service {
  grpc::Status SayHello(grpc::ServerContext*, const SayHelloRequest* request,
                        grpc::ServerWriter<SayHelloResponse>* writer) override {
    for (int i = 0; i < 5; i++) {
      SayHelloResponse reply;
      reply.set_message("Hello number " + std::to_string(i) + ", " + request->name() + "!");
      writer->Write(reply);
    }
    return grpc::Status::OK;
  }
};

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  std::string port = flags.get("port", "50051");
  Greeter service;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(flags.get("host", "0.0.0.0") + ":" + port, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) return 1;
  std::cout << "Server started, listening on " << port << std::endl;
  server->Wait();
}
