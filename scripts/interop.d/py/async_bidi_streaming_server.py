"""Async bidi server: the Python side of our async-bidi-streaming lesson.

The tutorial's bidi example is sync (the flow-control experiment); this is the
same RPC shape (proto v3) on grpc.aio, as our async lesson has it: one reply
per message, "Hello, <name>!", sent as soon as the message is read. Like the
tutorial's async servers, it prints nothing.
"""
import argparse
import asyncio
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


class Greeter(helloworld_pb2_grpc.GreeterServiceServicer):
    async def SayHello(self, request_iterator, context):
        async for request in request_iterator:
            yield helloworld_pb2.SayHelloResponse(message=f"Hello, {request.name}!")


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
