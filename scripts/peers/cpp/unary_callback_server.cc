// Unary server (proto v1) in gRPC C++ on the callback API: the handler runs on
// gRPC's own event-engine threads and finishes the call through a reactor, the
// C++ counterpart of the tutorial's grpc.aio server. Prints the start-up line
// like the sync server; --host and --port default to "0.0.0.0", "50051".
#include <grpcpp/grpcpp.h>

#include <iostream>

#include "peer.h"
#include "tutorial/helloworld/v1/helloworld.grpc.pb.h"

using tutorial::helloworld::v1::GreeterService;
using tutorial::helloworld::v1::SayHelloRequest;
using tutorial::helloworld::v1::SayHelloResponse;

class Greeter final : public GreeterService::CallbackService {
  grpc::ServerUnaryReactor* SayHello(grpc::CallbackServerContext* context, const SayHelloRequest* request,
                                     SayHelloResponse* reply) override {
    reply->set_message("Hello, " + request->name() + "!");
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
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
