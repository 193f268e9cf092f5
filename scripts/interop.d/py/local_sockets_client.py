"""The tutorial's async unary client over a Unix socket (chapter "Beyond: Unix domain sockets").

The same grpc.aio client as async_unary_client.py, with one channel option:
grpcio's default `:authority` for a `unix:` target is the socket's path, which
is no host name, and hyper's HTTP/2 (under tonic) refuses the stream; naming
`localhost`, as tonic and grpc-go do over a Unix socket, lets the call through.
"""
import argparse
import asyncio
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


async def run(target, name):
    options = [("grpc.default_authority", "localhost")]
    async with grpc.aio.insecure_channel(target, options=options) as channel:
        stub = helloworld_pb2_grpc.GreeterServiceStub(channel)
        response = await stub.SayHello(helloworld_pb2.SayHelloRequest(name=name))
    print("Greeter client received: " + response.message)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="unix:/tmp/grpc-workshop-local-sockets/greeter.sock")
    parser.add_argument("--name", default="jack")
    args = parser.parse_args()
    asyncio.run(run(args.target, args.name))
