"""Traced unary client: the tutorial's async unary client, instrumented with
opentelemetry-instrumentation-grpc, so its call starts a trace that the Rust
observability lesson's servers continue.

Configured the standard way: the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT and
the resource OTEL_SERVICE_NAME. The provider is shut down before exit, which
sends the batched span.
"""
import argparse
import asyncio

import grpc
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.grpc import GrpcAioInstrumentorClient
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

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
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(insecure=True)))
    trace.set_tracer_provider(provider)
    GrpcAioInstrumentorClient().instrument()
    try:
        asyncio.run(run(args.target, args.name))
    finally:
        provider.shutdown()
