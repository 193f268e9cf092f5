"""Async server-streaming client: the tutorial's grpc.aio client with `async for`.

Same call and loop, same three printed lines. What differs: target and name are
flags (defaults "localhost:50051" and "jack", the tutorial's).
"""
import argparse
import asyncio
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


async def run(target, name):
    async with grpc.aio.insecure_channel(target) as channel:
        stub = helloworld_pb2_grpc.GreeterServiceStub(channel)
        responses = stub.SayHello(helloworld_pb2.SayHelloRequest(name=name))
        async for response in responses:
            print("Greeter client received: " + response.message)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="localhost:50051")
    parser.add_argument("--name", default="jack")
    args = parser.parse_args()
    asyncio.run(run(args.target, args.name))
