// Bidi server (proto v3): the tutorial's flow-control server in gRPC C++ (sync API).
//
// Waits before reading, then per request counts the characters, "works",
// replies "Hello", and logs every fifth request with a timestamp. Same
// grpc.http2.bdp_probe = 0 as the tutorial, so the window stays at 64 KiB.
// --initial-delay and --work-delay default to the tutorial's 5 s and 1 s.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "peer.h"
#include "tutorial/helloworld/v3/helloworld.grpc.pb.h"

using tutorial::helloworld::v3::GreeterService;
using tutorial::helloworld::v3::SayHelloRequest;
using tutorial::helloworld::v3::SayHelloResponse;

class Greeter final : public GreeterService::Service {
 public:
  Greeter(std::chrono::microseconds initial_delay, std::chrono::microseconds work_delay)
      : initial_delay_(initial_delay), work_delay_(work_delay) {}

  grpc::Status SayHello(grpc::ServerContext*,
                        grpc::ServerReaderWriter<SayHelloResponse, SayHelloRequest>* stream) override {
    std::this_thread::sleep_for(initial_delay_);  // hold back reading: the client fills the window
    std::size_t received = 0;
    SayHelloRequest request;
    for (int i = 1; stream->Read(&request); i++) {
      received += request.name().size();
      if (i % 5 == 0) {
        std::printf("%s   Request %d:   Received %zu char in total\n", Now().c_str(), i, received);
        std::fflush(stdout);
      }
      std::this_thread::sleep_for(work_delay_);  // the server's "work"
      SayHelloResponse reply;
      reply.set_message("Hello");
      stream->Write(reply);
      if (i % 5 == 0) {
        std::printf("%s   Request %d:   Sent %zu char in total\n\n", Now().c_str(), i, reply.message().size() * i);
        std::fflush(stdout);
      }
    }
    return grpc::Status::OK;
  }

 private:
  std::chrono::microseconds initial_delay_, work_delay_;
};

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  std::string port = flags.get("port", "50051");
  Greeter service(Seconds(flags.get("initial-delay", "5")), Seconds(flags.get("work-delay", "1")));
  grpc::ServerBuilder builder;
  builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);  // no automatic window growth
  builder.AddListeningPort(flags.get("host", "0.0.0.0") + ":" + port, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) return 1;
  std::cout << "Server started, listening on " << port << std::endl;
  server->Wait();
}
