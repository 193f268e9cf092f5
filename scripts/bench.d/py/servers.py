"""The streaming shapes of the benchmark on the tutorial's two Python server styles.

The tutorial's streaming servers send five fixed greetings; to measure message
sizes, these serve the same shapes as crates/bench-stream-server, on the
tutorial's server setups:
  sync-streams   grpc.server(ThreadPoolExecutor(max_workers=10))  (chapter "sync")
  aio-streams    grpc.aio.server()                                 (chapter "async")
    v2 SayHello: the name "<size>x<count>" asks for <count> messages of <size> bytes
    v3 SayHello: answers each request at once with "Hello" (ping-pong)
(The unary benchmark runs the tutorial's unary servers themselves, from
scripts/interop.d/py.)

Usage: servers.py KIND --port N --stubs DIR   (DIR holds stubs generated with -I proto)
"""
import argparse
import asyncio
import sys
from concurrent import futures

import grpc


def load_stubs(stubs_dir):
    """Imports the v2/v3 modules grpc_tools generated from proto/."""
    sys.path.insert(0, stubs_dir)
    from tutorial.helloworld.v2 import helloworld_pb2 as v2, helloworld_pb2_grpc as v2_grpc
    from tutorial.helloworld.v3 import helloworld_pb2 as v3, helloworld_pb2_grpc as v3_grpc
    return (v2, v2_grpc), (v3, v3_grpc)


def parse_shape(name):
    """Reads "<size>x<count>", as crates/bench/stream-server does."""
    size, count = name.split("x")
    return int(size), int(count)


def servicers(pb, aio):
    """The servicers for one style (sync threads or asyncio)."""
    (v2, v2_grpc), (v3, v3_grpc) = pb

    class SizedStreams(v2_grpc.GreeterServiceServicer):
        """v2: count messages of size bytes (the reply object is built once)."""
        def SayHello(self, request, context):
            size, count = parse_shape(request.name)
            reply = v2.SayHelloResponse(message="x" * size)
            for _ in range(count):
                yield reply

    class AioSizedStreams(v2_grpc.GreeterServiceServicer):
        """SizedStreams as an async generator."""
        async def SayHello(self, request, context):
            size, count = parse_shape(request.name)
            reply = v2.SayHelloResponse(message="x" * size)
            for _ in range(count):
                yield reply

    class PingPong(v3_grpc.GreeterServiceServicer):
        """v3: one "Hello" per request, at once."""
        def SayHello(self, request_iterator, context):
            for _ in request_iterator:
                yield v3.SayHelloResponse(message="Hello")

    class AioPingPong(v3_grpc.GreeterServiceServicer):
        """PingPong as an async generator."""
        async def SayHello(self, request_iterator, context):
            async for _ in request_iterator:
                yield v3.SayHelloResponse(message="Hello")

    return [(v2_grpc, AioSizedStreams if aio else SizedStreams),
            (v3_grpc, AioPingPong if aio else PingPong)]


def add_all(server, services, port):
    """Registers the servicers and the port, as the tutorial's server() does."""
    for module, servicer in services:
        module.add_GreeterServiceServicer_to_server(servicer(), server)
    server.add_insecure_port("127.0.0.1:%d" % port)


def run_sync(services, port):
    """The tutorial's sync server: a thread pool of 10 workers."""
    server = grpc.server(thread_pool=futures.ThreadPoolExecutor(max_workers=10))
    add_all(server, services, port)
    server.start()
    print("Server started, listening on %d" % port, flush=True)
    server.wait_for_termination()


async def run_aio(services, port):
    """The tutorial's grpc.aio server."""
    server = grpc.aio.server()
    add_all(server, services, port)
    await server.start()
    await server.wait_for_termination()


def main():
    """Parses the command line and serves until killed."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["sync-streams", "aio-streams"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stubs", required=True)
    args = parser.parse_args()
    aio = args.kind == "aio-streams"
    services = servicers(load_stubs(args.stubs), aio=aio)
    if aio:
        asyncio.run(run_aio(services, args.port))
    else:
        run_sync(services, args.port)


if __name__ == "__main__":
    main()
