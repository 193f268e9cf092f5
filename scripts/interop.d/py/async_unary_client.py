"""Async unary client: the tutorial's grpc.aio client (chapter "Async programming", unary).

Same async channel, awaited call and one printed line. What differs: target and
name are flags (defaults "localhost:50051" and "jack", the tutorial's).
"""
import argparse
import asyncio
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


async def run(target, name):
    async with grpc.aio.insecure_channel(target) as channel:
        stub = helloworld_pb2_grpc.GreeterServiceStub(channel)
        response = await stub.SayHello(helloworld_pb2.SayHelloRequest(name=name))
    print("Greeter client received: " + response.message)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="localhost:50051")
    parser.add_argument("--name", default="jack")
    args = parser.parse_args()
    asyncio.run(run(args.target, args.name))
