// Benchmark server in gRPC C++ (sync API): the shapes of crates/bench/stream-server.
//   v2 SayHello: the name "<size>x<count>" asks for <count> messages of <size> bytes;
//   v3 SayHello: answers each request at once with "Hello" (ping-pong).
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <iostream>

#include "peer.h"
#include "tutorial/helloworld/v2/helloworld.grpc.pb.h"
#include "tutorial/helloworld/v3/helloworld.grpc.pb.h"

namespace v2 = tutorial::helloworld::v2;
namespace v3 = tutorial::helloworld::v3;

class SizedStreams final : public v2::GreeterService::Service {
  grpc::Status SayHello(grpc::ServerContext*, const v2::SayHelloRequest* request,
                        grpc::ServerWriter<v2::SayHelloResponse>* writer) override {
    unsigned long size = 0, count = 0;
    if (std::sscanf(request->name().c_str(), "%lux%lu", &size, &count) != 2) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "name must be <size>x<count>");
    }
    v2::SayHelloResponse reply;
    reply.set_message(std::string(size, 'x'));
    for (unsigned long i = 0; i < count; i++) {
      if (!writer->Write(reply)) break;
    }
    return grpc::Status::OK;
  }
};

class PingPong final : public v3::GreeterService::Service {
  grpc::Status SayHello(grpc::ServerContext*,
                        grpc::ServerReaderWriter<v3::SayHelloResponse, v3::SayHelloRequest>* stream) override {
    v3::SayHelloRequest request;
    v3::SayHelloResponse reply;
    reply.set_message("Hello");
    while (stream->Read(&request)) {
      if (!stream->Write(reply)) break;
    }
    return grpc::Status::OK;
  }
};

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  std::string port = flags.get("port", "50070");
  SizedStreams sized;
  PingPong ping_pong;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(flags.get("host", "127.0.0.1") + ":" + port, grpc::InsecureServerCredentials());
  builder.RegisterService(&sized);
  builder.RegisterService(&ping_pong);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) return 1;
  std::cout << "Server started, listening on " << port << std::endl;
  server->Wait();
}
