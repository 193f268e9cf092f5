"""Health and reflection server: grpcio's standard services next to the unary greeter.

The tutorial has no such program; this one plays the Python side of our
health-reflection lesson, the way a grpcio user would add the two services:
grpc_health.v1.health.HealthServicer (reporting the greeter SERVING) and
grpc_reflection.v1alpha.reflection.enable_server_reflection. Note that
grpcio-reflection serves only the older grpc.reflection.v1alpha protocol. Like
the lesson's server, it prints nothing.
"""
import argparse
import grpc
import helloworld_pb2
import helloworld_pb2_grpc
from concurrent import futures
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

GREETER = helloworld_pb2.DESCRIPTOR.services_by_name["GreeterService"].full_name


class Greeter(helloworld_pb2_grpc.GreeterServiceServicer):
    def SayHello(self, request, context):
        return helloworld_pb2.SayHelloResponse(message="Hello, %s!" % request.name)


def server(listen_addr):
    server = grpc.server(thread_pool=futures.ThreadPoolExecutor(max_workers=10))
    helloworld_pb2_grpc.add_GreeterServiceServicer_to_server(Greeter(), server)
    health_servicer = health.HealthServicer()
    health_servicer.set(GREETER, health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection([GREETER, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    server.add_insecure_port(listen_addr)
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", default="0.0.0.0:50051")
    args = parser.parse_args()
    server(args.listen)
