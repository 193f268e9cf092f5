"""The tutorial's Python servers, as the benchmark runs them.

Unary servers are the tutorial's code unchanged except for the port:
  sync-unary   grpc.server(ThreadPoolExecutor(max_workers=10))  (chapter "sync", unary)
  aio-unary    grpc.aio.server()                                 (chapter "async", unary)
Streaming servers serve the same shapes as crates/bench-stream-server, on the
tutorial's two server styles:
  sync-streams / aio-streams
    v2 SayHello: the name "<size>x<count>" asks for <count> messages of <size> bytes
    v3 SayHello: answers each request at once with "Hello" (ping-pong)

Usage: servers.py KIND --port N --stubs DIR   (DIR holds stubs generated with -I proto)
"""
import argparse
import asyncio
import sys
from concurrent import futures

import grpc


def load_stubs(stubs_dir):
    """Imports the v1/v2/v3 modules grpc_tools generated from proto/."""
    sys.path.insert(0, stubs_dir)
    from tutorial.helloworld.v1 import helloworld_pb2 as v1, helloworld_pb2_grpc as v1_grpc
    from tutorial.helloworld.v2 import helloworld_pb2 as v2, helloworld_pb2_grpc as v2_grpc
    from tutorial.helloworld.v3 import helloworld_pb2 as v3, helloworld_pb2_grpc as v3_grpc
    return (v1, v1_grpc), (v2, v2_grpc), (v3, v3_grpc)


def parse_shape(name):
    size, count = name.split("x")
    return int(size), int(count)


def servicers(pb, aio):
    """The servicer classes for one style (sync threads or asyncio)."""
    (v1, v1_grpc), (v2, v2_grpc), (v3, v3_grpc) = pb

    class Greeter(v1_grpc.GreeterServiceServicer):
        def SayHello(self, request, context):
            return v1.SayHelloResponse(message="Hello, %s!" % request.name)

    class AioGreeter(v1_grpc.GreeterServiceServicer):
        async def SayHello(self, request, context):
            return v1.SayHelloResponse(message="Hello, %s!" % request.name)

    class SizedStreams(v2_grpc.GreeterServiceServicer):
        def SayHello(self, request, context):
            size, count = parse_shape(request.name)
            reply = v2.SayHelloResponse(message="x" * size)
            for _ in range(count):
                yield reply

    class AioSizedStreams(v2_grpc.GreeterServiceServicer):
        async def SayHello(self, request, context):
            size, count = parse_shape(request.name)
            reply = v2.SayHelloResponse(message="x" * size)
            for _ in range(count):
                yield reply

    class PingPong(v3_grpc.GreeterServiceServicer):
        def SayHello(self, request_iterator, context):
            for _ in request_iterator:
                yield v3.SayHelloResponse(message="Hello")

    class AioPingPong(v3_grpc.GreeterServiceServicer):
        async def SayHello(self, request_iterator, context):
            async for _ in request_iterator:
                yield v3.SayHelloResponse(message="Hello")

    unary = [(v1_grpc, AioGreeter if aio else Greeter)]
    streams = [(v2_grpc, AioSizedStreams if aio else SizedStreams),
               (v3_grpc, AioPingPong if aio else PingPong)]
    return unary, streams


def add_all(server, services, port):
    for module, servicer in services:
        module.add_GreeterServiceServicer_to_server(servicer(), server)
    server.add_insecure_port("127.0.0.1:%d" % port)


def run_sync(services, port):
    server = grpc.server(thread_pool=futures.ThreadPoolExecutor(max_workers=10))
    add_all(server, services, port)
    server.start()
    print("Server started, listening on %d" % port, flush=True)
    server.wait_for_termination()


async def run_aio(services, port):
    server = grpc.aio.server()
    add_all(server, services, port)
    await server.start()
    await server.wait_for_termination()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["sync-unary", "aio-unary", "sync-streams", "aio-streams"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stubs", required=True)
    args = parser.parse_args()
    style, shape = args.kind.split("-")
    unary, streams = servicers(load_stubs(args.stubs), aio=style == "aio")
    services = unary if shape == "unary" else streams
    if style == "aio":
        asyncio.run(run_aio(services, args.port))
    else:
        run_sync(services, args.port)


if __name__ == "__main__":
    main()
