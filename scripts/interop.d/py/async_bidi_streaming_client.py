"""Async bidi client: the Python side of our async-bidi-streaming lesson.

The tutorial's bidi example is sync; this is the same RPC shape (proto v3) on
grpc.aio, as our async lesson has it: send "jack #1", "jack #2", "jack #3" a
pause apart, printing each before it is handed to gRPC, while printing every
reply as it arrives.
"""
import argparse
import asyncio
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


async def messages(name, count, delay):
    for i in range(1, count + 1):
        if i > 1 and delay > 0:
            await asyncio.sleep(delay)
        text = f"{name} #{i}"
        print("Client sent: " + text)
        yield helloworld_pb2.SayHelloRequest(name=text)


async def run(target, name, count, delay):
    async with grpc.aio.insecure_channel(target) as channel:
        stub = helloworld_pb2_grpc.GreeterServiceStub(channel)
        async for reply in stub.SayHello(messages(name, count, delay)):
            print("Greeter client received: " + reply.message)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="localhost:50051")
    parser.add_argument("--name", default="jack")
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--send-delay", type=float, default=0.1, help="seconds between messages")
    args = parser.parse_args()
    asyncio.run(run(args.target, args.name, args.count, args.send_delay))
