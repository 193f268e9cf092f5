"""Health and reflection client: what the health-reflection lesson's client does, in grpcio.

The tutorial has no such program. This one lists the services through
reflection, fetches the file that defines the greeter, and checks the greeter's
health, printing the same lines as the Rust lesson's client.

grpcio-reflection ships client stubs for grpc.reflection.v1alpha only. The
v1 protocol has the same messages under a new package name, so the call is
made on the v1 method path with the v1alpha message classes, which is the same
bytes on the wire.
"""
import argparse
import grpc
from google.protobuf import descriptor_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2

GREETER = "tutorial.helloworld.v1.GreeterService"
V1_METHOD = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"


def ask(channel, **request):
    """One request on a fresh ServerReflectionInfo stream; its one answer."""
    info = channel.stream_stream(
        V1_METHOD,
        request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
    )
    for answer in info(iter([reflection_pb2.ServerReflectionRequest(**request)])):
        if answer.HasField("error_response"):
            raise RuntimeError(f"reflection error {answer.error_response.error_code}: "
                               f"{answer.error_response.error_message}")
        return answer
    raise RuntimeError("reflection stream ended without an answer")


def run(target):
    with grpc.insecure_channel(target) as channel:
        print("Services listed by reflection:")
        listed = ask(channel, list_services="").list_services_response.service
        for name in sorted(service.name for service in listed):
            print(f"  {name}")
        files = ask(channel, file_containing_symbol=GREETER).file_descriptor_response
        for raw in files.file_descriptor_proto:
            file = descriptor_pb2.FileDescriptorProto.FromString(raw)
            print(f"{GREETER} is defined in {file.name} ({len(file.message_type)} messages)")
        stub = health_pb2_grpc.HealthStub(channel)
        response = stub.Check(health_pb2.HealthCheckRequest(service=GREETER))
        status = health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
        print(f"health of {GREETER}: {status}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="localhost:50051")
    args = parser.parse_args()
    run(args.target)
