"""Sync bidi server: the tutorial's flow-control server (chapter "Sync programming", bidi).

Same servicer: wait before reading, then per request count the characters, work,
reply "Hello", and log every fifth request with a timestamp; same
grpc.http2.bdp_probe = 0 so the HTTP/2 window stays at its 64 KiB default.

What differs, and why:
- The timestamp is formatted with single quotes inside the f-string
  (strftime('%T.%f')). The tutorial nests double quotes inside a double-quoted
  f-string, which only parses on Python 3.12+ (PEP 701); this form prints the
  same text and also runs on 3.11.
- The two delays are flags (defaults 5 s and 1 s, the tutorial's) so the interop
  suite can scale the experiment down; host and port are flags as well.
"""
import argparse
import datetime
import grpc
import helloworld_pb2
import helloworld_pb2_grpc
import time
from concurrent import futures


class Greeter(helloworld_pb2_grpc.GreeterServiceServicer):
    def __init__(self, initial_delay, work_delay):
        self.initial_delay = initial_delay
        self.work_delay = work_delay

    def SayHello(self, request_iterator, context):
        time.sleep(self.initial_delay)  # hold back reading: the client fills the window
        str_received = 0
        for i, request in enumerate(request_iterator, start=1):
            str_received += len(request.name)
            if (i % 5) == 0:
                print(
                    f"{datetime.datetime.now().strftime('%T.%f')}   "
                    f"Request {i}:   Received {str_received} char in total"
                )
            time.sleep(self.work_delay)  # the server's "work"
            msg = "Hello"
            yield helloworld_pb2.SayHelloResponse(message=msg)
            if (i % 5) == 0:
                print(
                    f"{datetime.datetime.now().strftime('%T.%f')}   "
                    f"Request {i}:   Sent {len(msg)*i} char in total\n"
                )


def server(host, port, initial_delay, work_delay, max_workers):
    # bdp_probe = 0: no automatic growth of the flow-control window
    server = grpc.server(
        thread_pool=futures.ThreadPoolExecutor(max_workers=max_workers),
        options=[("grpc.http2.bdp_probe", 0)],
    )
    helloworld_pb2_grpc.add_GreeterServiceServicer_to_server(Greeter(initial_delay, work_delay), server)
    server.add_insecure_port(host + ":" + port)
    server.start()
    print("Server started, listening on " + port)
    server.wait_for_termination()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", default="50051")
    parser.add_argument("--initial-delay", type=float, default=5.0, help="seconds before the first read")
    parser.add_argument("--work-delay", type=float, default=1.0, help="seconds of work per request")
    parser.add_argument("--max-workers", type=int, default=10)
    args = parser.parse_args()
    server(args.host, args.port, args.initial_delay, args.work_delay, args.max_workers)
