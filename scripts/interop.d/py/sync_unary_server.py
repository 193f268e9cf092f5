"""Sync unary server: the tutorial's first server (chapter "Sync programming", unary).

Same servicer, same thread pool of 10 workers, same start-up line. What differs:
the host and port are flags (defaults are the tutorial's "0.0.0.0" and "50051") so
the interop suite can pick a free port; nothing else.
"""
import argparse
import grpc
import helloworld_pb2
import helloworld_pb2_grpc
from concurrent import futures


class Greeter(helloworld_pb2_grpc.GreeterServiceServicer):
    def SayHello(self, request, context):
        return helloworld_pb2.SayHelloResponse(message="Hello, %s!" % request.name)


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
