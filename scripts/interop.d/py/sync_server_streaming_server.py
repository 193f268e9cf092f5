"""Sync server-streaming server: the tutorial's server that yields five greetings.

Same generator servicer, same pool, same start-up line. What differs: host and
port are flags (defaults "0.0.0.0" and "50051", the tutorial's).
"""
import argparse
import grpc
import helloworld_pb2
import helloworld_pb2_grpc
from concurrent import futures


class Greeter(helloworld_pb2_grpc.GreeterServiceServicer):
    def SayHello(self, request, context):
        for i in range(5):
            yield helloworld_pb2.SayHelloResponse(message=f"Hello number {i}, {request.name}!")


def server(host, port):
    server = grpc.server(thread_pool=futures.ThreadPoolExecutor(max_workers=10))
    helloworld_pb2_grpc.add_GreeterServiceServicer_to_server(Greeter(), server)
    server.add_insecure_port(host + ":" + port)
    server.start()
    print("Server started, listening on " + port)
    server.wait_for_termination()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", default="50051")
    args = parser.parse_args()
    server(args.host, args.port)
