"""Sync server-streaming client: the tutorial's client that iterates over five greetings.

Same stub call and loop, same printed lines. What differs: target and name are
flags (defaults "localhost:50051" and "Jack", the tutorial's).
"""
import argparse
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


def run(target, name):
    print("Will try to greet world ...")
    with grpc.insecure_channel(target) as channel:
        stub = helloworld_pb2_grpc.GreeterServiceStub(channel=channel)
        stream_response = stub.SayHello(helloworld_pb2.SayHelloRequest(name=name))
        for response in stream_response:
            print("Greeter client received: " + response.message)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="localhost:50051")
    parser.add_argument("--name", default="Jack")
    args = parser.parse_args()
    run(args.target, args.name)
