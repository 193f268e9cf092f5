// Unary server (proto v1): the tutorial's sync unary server in gRPC C++, on the
// synchronous API (a thread pool runs the handler, like ThreadPoolExecutor).
// Same reply and start-up line; --host and --port default to "0.0.0.0", "50051".
#include <grpcpp/grpcpp.h>

#include <iostream>

#include "peer.h"
#include "tutorial/helloworld/v1/helloworld.grpc.pb.h"

using tutorial::helloworld::v1::GreeterService;
using tutorial::helloworld::v1::SayHelloRequest;
using tutorial::helloworld::v1::SayHelloResponse;

class Greeter final : public GreeterService::Service {
  grpc::Status SayHello(grpc::ServerContext*, const SayHelloRequest* request,
                        SayHelloResponse* reply) override {
    reply->set_message("Hello, " + request->name() + "!");
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
