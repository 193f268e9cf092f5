"""grpc's interop client cases on grpcio, written from grpc's interop test
descriptions (doc/interop-test-descriptions.md).

    python interop_client.py --server_host H --server_port P --test_case NAME
        [--use_tls --use_test_ca --ca_file F --server_host_override NAME]

Exits 0 and prints `NAME: passed`, or prints why and exits 1.
"""
import argparse
import sys
import threading
import time

import grpc
import grpc_stubs  # noqa: F401  (makes grpc.testing importable)
from grpc.testing import empty_pb2, messages_pb2, test_pb2_grpc

STREAM_SIZES = (31415, 9, 2653, 58979)
UPLOAD_SIZES = (27182, 8, 1828, 45904)


class CaseFailed(Exception):
    pass


def ensure(condition, message):
    if not condition:
        raise CaseFailed(message)


def zeros(size):
    return messages_pb2.Payload(body=b"\0" * size)


def check_payload(payload, size):
    ensure(len(payload.body) == size, f"payload of {len(payload.body)} bytes, expected {size}")
    ensure(payload.body == b"\0" * size, "payload is not all zeros")


def expect_code(call, code):
    try:
        call()
    except grpc.RpcError as error:
        ensure(error.code() == code, f"expected {code}, got {error.code()}: {error.details()}")
        return error
    raise CaseFailed(f"expected {code}, the call succeeded")


def large_request(**fields):
    return messages_pb2.SimpleRequest(response_size=314159, payload=zeros(271828), **fields)


def streaming_request(sizes, payload=0, **fields):
    return messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=s) for s in sizes],
        payload=zeros(payload) if payload else None, **fields)


class Duplex:
    """A FullDuplexCall fed one request at a time."""

    def __init__(self, stub, **kwargs):
        self._cond = threading.Condition()
        self._queue = []
        self._done = False
        self.call = stub.FullDuplexCall(self._requests(), **kwargs)

    def _requests(self):
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._done)
                if self._queue:
                    item = self._queue.pop(0)
                else:
                    return
            yield item

    def send(self, request):
        with self._cond:
            self._queue.append(request)
            self._cond.notify()

    def close(self):
        with self._cond:
            self._done = True
            self._cond.notify()


def empty_unary(stub, _):
    ensure(stub.EmptyCall(empty_pb2.Empty()) == empty_pb2.Empty(), "the response is not empty")


def large_unary(stub, _):
    check_payload(stub.UnaryCall(large_request()).payload, 314159)


def client_streaming(stub, _):
    requests = (messages_pb2.StreamingInputCallRequest(payload=zeros(s)) for s in UPLOAD_SIZES)
    total = stub.StreamingInputCall(requests).aggregated_payload_size
    ensure(total == 74922, f"aggregated_payload_size {total}, expected 74922")


def server_streaming(stub, _):
    responses = list(stub.StreamingOutputCall(streaming_request(STREAM_SIZES)))
    ensure(len(responses) == 4, f"{len(responses)} responses, expected 4")
    for response, size in zip(responses, STREAM_SIZES):
        check_payload(response.payload, size)


def ping_pong(stub, _):
    duplex = Duplex(stub)
    for size, payload in zip(STREAM_SIZES, UPLOAD_SIZES):
        duplex.send(streaming_request([size], payload))
        check_payload(next(duplex.call).payload, size)
    duplex.close()
    ensure(next(duplex.call, None) is None, "more responses than asked for")


def empty_stream(stub, _):
    ensure(list(stub.FullDuplexCall(iter(()))) == [], "a response to no request")


def timeout_on_sleeping_server(stub, _):
    duplex = Duplex(stub, timeout=0.001)
    duplex.send(streaming_request([], 27182))
    expect_code(lambda: next(duplex.call), grpc.StatusCode.DEADLINE_EXCEEDED)
    duplex.close()


def cancel_after_begin(stub, _):
    release = threading.Event()

    def never():  # a request stream that sends nothing until the call is cancelled
        release.wait()
        return
        yield

    future = stub.StreamingInputCall.future(never())
    ensure(future.cancel() and future.cancelled(), "the call could not be cancelled")
    release.set()
    empty_unary(stub, _)


def cancel_after_first_response(stub, _):
    duplex = Duplex(stub)
    duplex.send(streaming_request([31415], 27182))
    check_payload(next(duplex.call).payload, 31415)
    duplex.call.cancel()
    expect_code(lambda: next(duplex.call), grpc.StatusCode.CANCELLED)
    duplex.close()


def echo_status_both_ways(stub, message):
    status = messages_pb2.EchoStatus(code=2, message=message)
    error = expect_code(lambda: stub.UnaryCall(messages_pb2.SimpleRequest(response_status=status)),
                        grpc.StatusCode.UNKNOWN)
    ensure(error.details() == message, f"UnaryCall message {error.details()!r}")
    call = stub.FullDuplexCall(iter([streaming_request([], response_status=status)]))
    error = expect_code(lambda: list(call), grpc.StatusCode.UNKNOWN)
    ensure(error.details() == message, f"FullDuplexCall message {error.details()!r}")


def status_code_and_message(stub, _):
    echo_status_both_ways(stub, "test status message")


def special_status_message(stub, _):
    echo_status_both_ways(stub, "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n")


ECHO = (("x-grpc-test-echo-initial", "test_initial_metadata_value"),
        ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab"))


def check_echo(initial, trailing, what):
    ensure(ECHO[0] in [(m.key, m.value) for m in initial], f"{what}: no echoed initial metadata")
    ensure(ECHO[1] in [(m.key, m.value) for m in trailing], f"{what}: no echoed trailing metadata")


def custom_metadata(stub, _):
    response, call = stub.UnaryCall.with_call(large_request(), metadata=ECHO)
    check_payload(response.payload, 314159)
    check_echo(call.initial_metadata(), call.trailing_metadata(), "UnaryCall")
    call = stub.FullDuplexCall(iter([streaming_request([314159], 271828)]), metadata=ECHO)
    responses = list(call)
    ensure(len(responses) == 1, f"{len(responses)} responses, expected 1")
    check_payload(responses[0].payload, 314159)
    check_echo(call.initial_metadata(), call.trailing_metadata(), "FullDuplexCall")


def unimplemented_method(stub, _):
    expect_code(lambda: stub.UnimplementedCall(empty_pb2.Empty()), grpc.StatusCode.UNIMPLEMENTED)


def unimplemented_service(_, channel):
    stub = test_pb2_grpc.UnimplementedServiceStub(channel)
    expect_code(lambda: stub.UnimplementedCall(empty_pb2.Empty()), grpc.StatusCode.UNIMPLEMENTED)


def expecting(value):
    return messages_pb2.BoolValue(value=value)


def client_compressed_unary(stub, _):
    expect_code(lambda: stub.UnaryCall(large_request(expect_compressed=expecting(True))),
                grpc.StatusCode.INVALID_ARGUMENT)
    response = stub.UnaryCall(large_request(expect_compressed=expecting(True)), compression=grpc.Compression.Gzip)
    check_payload(response.payload, 314159)
    response = stub.UnaryCall(large_request(expect_compressed=expecting(False)))
    check_payload(response.payload, 314159)


def client_compressed_streaming(stub, _):
    probe = messages_pb2.StreamingInputCallRequest(payload=zeros(27182), expect_compressed=expecting(True))
    expect_code(lambda: stub.StreamingInputCall(iter([probe])), grpc.StatusCode.INVALID_ARGUMENT)
    # grpcio sets compression per call: both messages go compressed (the server accepts both).
    requests = [messages_pb2.StreamingInputCallRequest(payload=zeros(27182), expect_compressed=expecting(True)),
                messages_pb2.StreamingInputCallRequest(payload=zeros(45904), expect_compressed=expecting(False))]
    total = stub.StreamingInputCall(iter(requests), compression=grpc.Compression.Gzip).aggregated_payload_size
    ensure(total == 73086, f"aggregated_payload_size {total}, expected 73086")


def server_compressed_unary(stub, _):
    for compressed in (True, False):
        response = stub.UnaryCall(large_request(response_compressed=expecting(compressed)))
        check_payload(response.payload, 314159)


def server_compressed_streaming(stub, _):
    request = messages_pb2.StreamingOutputCallRequest(response_parameters=[
        messages_pb2.ResponseParameters(size=31415, compressed=expecting(True)),
        messages_pb2.ResponseParameters(size=92653, compressed=expecting(False))])
    responses = list(stub.StreamingOutputCall(request))
    ensure(len(responses) == 2, f"{len(responses)} responses, expected 2")
    for response, size in zip(responses, (31415, 92653)):
        check_payload(response.payload, size)


def soak(args, new_channel):
    started = time.monotonic()
    failures = []
    shared = test_pb2_grpc.TestServiceStub(connect(args)) if not new_channel else None
    for iteration in range(args.soak_iterations):
        ensure(time.monotonic() - started < args.soak_overall_timeout_seconds,
               f"{iteration} of {args.soak_iterations} iterations in {args.soak_overall_timeout_seconds} s")
        began = time.monotonic()
        try:
            if new_channel:
                with connect(args) as channel:
                    large_unary(test_pb2_grpc.TestServiceStub(channel), channel)
            else:
                large_unary(shared, None)
            latency_ms = (time.monotonic() - began) * 1000
            if latency_ms > args.soak_per_iteration_max_acceptable_latency_ms:
                failures.append(f"iteration {iteration}: {latency_ms:.0f} ms")
        except (grpc.RpcError, CaseFailed) as error:
            failures.append(f"iteration {iteration}: {error}")
    ensure(len(failures) <= args.soak_max_failures, f"{len(failures)} failures: {'; '.join(failures)}")


def max_streams(stub, _):
    duplex = Duplex(stub)
    duplex.send(streaming_request([31415], 27182))
    check_payload(next(duplex.call).payload, 31415)
    others = [stub.UnaryCall.future(large_request()) for _ in range(4)]
    duplex.close()
    ensure(next(duplex.call, None) is None, "more responses than asked for")
    for other in others:
        check_payload(other.result(timeout=10).payload, 314159)


CASES = {f.__name__: f for f in (
    empty_unary, large_unary, client_streaming, server_streaming, ping_pong, empty_stream,
    timeout_on_sleeping_server, cancel_after_begin, cancel_after_first_response,
    status_code_and_message, special_status_message, custom_metadata, unimplemented_method,
    unimplemented_service, client_compressed_unary, client_compressed_streaming,
    server_compressed_unary, server_compressed_streaming, max_streams)}


def connect(args):
    target = f"{args.server_host}:{args.server_port}"
    if args.use_tls != "true":
        return grpc.insecure_channel(target)
    ensure(args.use_test_ca == "true" and args.ca_file, "--use_tls needs --use_test_ca with --ca_file")
    with open(args.ca_file, "rb") as ca:
        credentials = grpc.ssl_channel_credentials(ca.read())
    options = [("grpc.ssl_target_name_override", args.server_host_override)] if args.server_host_override else []
    return grpc.secure_channel(target, credentials, options)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server_host", default="localhost")
    parser.add_argument("--server_port", type=int, required=True)
    parser.add_argument("--test_case", required=True)
    for flag in ("--use_tls", "--use_test_ca"):
        parser.add_argument(flag, nargs="?", const="true", default="false")
    parser.add_argument("--ca_file")
    parser.add_argument("--server_host_override")
    parser.add_argument("--soak_iterations", type=int, default=10)
    parser.add_argument("--soak_max_failures", type=int, default=0)
    parser.add_argument("--soak_per_iteration_max_acceptable_latency_ms", type=int, default=1000)
    parser.add_argument("--soak_overall_timeout_seconds", type=int, default=10)
    args = parser.parse_args()
    try:
        if args.test_case in ("rpc_soak", "channel_soak"):
            soak(args, new_channel=args.test_case == "channel_soak")
        elif args.test_case in CASES:
            with connect(args) as channel:
                CASES[args.test_case](test_pb2_grpc.TestServiceStub(channel), channel)
        else:
            raise CaseFailed(f"unknown --test_case {args.test_case!r}")
    except (CaseFailed, grpc.RpcError) as error:
        print(f"{args.test_case}: FAILED: {error}", file=sys.stderr)
        return 1
    print(f"{args.test_case}: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
