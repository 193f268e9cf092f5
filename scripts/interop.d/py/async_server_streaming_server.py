"""Async server-streaming server: the tutorial's grpc.aio server that yields three greetings.

Same async-generator servicer; like the tutorial's, it prints nothing. What
differs: the listen address is a flag (default "0.0.0.0:50051", the tutorial's).
"""
import argparse
import asyncio
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


class Greeter(helloworld_pb2_grpc.GreeterServiceServicer):
    async def SayHello(self, request, context):
        for i in range(3):
            yield helloworld_pb2.SayHelloResponse(message=f"Hello number {i}, {request.name}!")


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
