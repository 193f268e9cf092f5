"""Async client-streaming server: the Python side of our async-client-streaming lesson.

The tutorial stops at three RPC shapes; the workshop adds the fourth (proto v4).
Written the way the tutorial writes its grpc.aio servers: the servicer reads
every name the client streams, then answers once, "Hello, a, b and c!" with
greeted_count. Like the tutorial's async servers, it prints nothing.
"""
import argparse
import asyncio
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


def greeting(names):
    if not names:
        return "Hello, nobody!"
    if len(names) == 1:
        return f"Hello, {names[0]}!"
    return f"Hello, {', '.join(names[:-1])} and {names[-1]}!"


class Greeter(helloworld_pb2_grpc.GreeterServiceServicer):
    async def SayHello(self, request_iterator, context):
        names = [request.name async for request in request_iterator]
        return helloworld_pb2.SayHelloResponse(message=greeting(names), greeted_count=len(names))


async def serve(listen_addr):
    server = grpc.aio.server()  # the asyncio server object
    helloworld_pb2_grpc.add_GreeterServiceServicer_to_server(Greeter(), server)
    server.add_insecure_port(listen_addr)
    await server.start()
    await server.wait_for_termination()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", default="0.0.0.0:50051")
    args = parser.parse_args()
    asyncio.run(serve(args.listen))
