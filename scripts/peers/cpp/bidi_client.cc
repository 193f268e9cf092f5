// Bidi client (proto v3): the tutorial's flow-control client in gRPC C++.
//
// A writer thread sends 25 requests of 4000 characters (every fifth logged with
// a timestamp as it is handed to gRPC) while the main thread prints every fifth
// response. Same grpc.http2.bdp_probe = 0 on the channel as the tutorial.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "peer.h"
#include "tutorial/helloworld/v3/helloworld.grpc.pb.h"

using tutorial::helloworld::v3::GreeterService;
using tutorial::helloworld::v3::SayHelloRequest;
using tutorial::helloworld::v3::SayHelloResponse;

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  int requests = std::stoi(flags.get("requests", "25"));
  int size = std::stoi(flags.get("size", "4000"));
  std::cout << "Will try to greet world ..." << std::endl;
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);  // no automatic window growth
  auto channel = grpc::CreateCustomChannel(flags.get("target", "localhost:50051"),
                                           grpc::InsecureChannelCredentials(), args);
  auto stub = GreeterService::NewStub(channel);
  grpc::ClientContext context;
  auto stream = stub->SayHello(&context);
  std::thread writer([&] {
    SayHelloRequest request;
    request.set_name(std::string(size, '1'));
    for (int i = 1; i <= requests; i++) {
      if (i % 5 == 0) {
        std::printf("\n%s   Request %d: Sent %d char in total\n", Now().c_str(), i, size * i);
        std::fflush(stdout);
      }
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  SayHelloResponse response;
  for (int i = 1; stream->Read(&response); i++) {
    if (i % 5 == 0) {
      std::printf("%s   Received %d responses\n\n", Now().c_str(), i);
      std::fflush(stdout);
    }
  }
  writer.join();
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    std::cerr << "stream failed: " << status.error_code() << ": " << status.error_message() << std::endl;
    return 1;
  }
}
