"""Sync unary client: the tutorial's first client (chapter "Sync programming", unary).

Same channel, stub and two printed lines. What differs: the target and the name
are flags (defaults "localhost:50051" and "Jack", the tutorial's), and
--name-file reads the name from a UTF-8 file, for names too long for a command
line (the 1 MiB case).
"""
import argparse
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


def run(target, name):
    print("Will try to greet world ...")
    with grpc.insecure_channel(target) as channel:
        stub = helloworld_pb2_grpc.GreeterServiceStub(channel=channel)
        response = stub.SayHello(helloworld_pb2.SayHelloRequest(name=name))
    print("Greeter client received: " + response.message)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="localhost:50051")
    parser.add_argument("--name", default="Jack")
    parser.add_argument("--name-file", help="read the name from this UTF-8 file")
    args = parser.parse_args()
    if args.name_file:
        with open(args.name_file, encoding="utf-8") as f:
            args.name = f.read()
    run(args.target, args.name)
