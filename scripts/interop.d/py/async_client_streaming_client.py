"""Async client-streaming client: the Python side of our async-client-streaming lesson.

The tutorial stops at three RPC shapes; the workshop adds the fourth (proto v4).
Written the way the tutorial writes its grpc.aio clients: an async generator
streams one request per name, then the single answer is printed with its
greeted_count, as the lesson's client prints it.
"""
import argparse
import asyncio
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


async def name_requests(names):
    for name in names:
        yield helloworld_pb2.SayHelloRequest(name=name)


async def run(target, names):
    async with grpc.aio.insecure_channel(target) as channel:
        stub = helloworld_pb2_grpc.GreeterServiceStub(channel)
        response = await stub.SayHello(name_requests(names))
    print(f"Greeter client received: {response.message} (greeted_count = {response.greeted_count})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="localhost:50051")
    parser.add_argument("--names", default="a,b,c", help="comma-separated; empty for none")
    args = parser.parse_args()
    asyncio.run(run(args.target, args.names.split(",") if args.names else []))
