"""Sync bidi client: the tutorial's flow-control client (chapter "Sync programming", bidi).

Same request generator (25 requests of 4000 characters, every fifth logged with
a timestamp as it is handed to gRPC), same response loop, same
grpc.http2.bdp_probe = 0 on the channel.

What differs, and why:
- The timestamp uses single quotes inside the f-string (strftime('%T.%f')):
  the tutorial's nested double quotes need Python 3.12+ (PEP 701); the output
  is the same.
- Target, request count and size are flags (defaults "localhost:50051", 25 and
  4000, the tutorial's).
"""
import argparse
import datetime
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


def get_iter_data(max_iter, data_size):
    test_request_data = "1" * data_size

    for i in range(1, (max_iter + 1)):
        if (i % 5) == 0:
            print(
                f"\n{datetime.datetime.now().strftime('%T.%f')}   "
                f"Request {i}: Sent {(data_size*i)} char in total"
            )

        yield helloworld_pb2.SayHelloRequest(name=test_request_data)


def run(target, max_iter, data_size):
    print("Will try to greet world ...")
    # bdp_probe = 0: no automatic growth of the flow-control window
    with grpc.insecure_channel(target, options=[("grpc.http2.bdp_probe", 0)]) as channel:
        stub = helloworld_pb2_grpc.GreeterServiceStub(channel)
        stream_responses = stub.SayHello(get_iter_data(max_iter, data_size))
        for i, _ in enumerate(stream_responses, start=1):
            if (i % 5) == 0:
                print(
                    f"{datetime.datetime.now().strftime('%T.%f')}   "
                    f"Received {i} responses\n"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="localhost:50051")
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--size", type=int, default=4000, help="characters per request")
    args = parser.parse_args()
    run(args.target, args.requests, args.size)
