"""The grpc-web lesson's one port: the tutorial's sync unary client (grpcio, gRPC
over h2c), then curl's JSON GET and gRPC-Web POST over HTTP/1.1, all on the port
the Rust server bound (it binds port 0 and prints which one it got).
"""
import re
import shutil
import subprocess
import time

import checks
import environment as env
from outcomes import Outcome, unary_lines
from procs import Child

READY_TIMEOUT = 30
CLIENT_TIMEOUT = 60
LISTENING = re.compile(r"^Server started, listening on (\d+)$")


def wait_for_port_line(server, timeout):
    """The port in the server's start-up line, or None on timeout or exit."""
    deadline = time.monotonic() + timeout
    with server._changed:
        while True:
            for line in server.stdout:
                if match := LISTENING.match(line):
                    return int(match.group(1))
            left = deadline - time.monotonic()
            if left <= 0 or not server.running():
                return None
            server._changed.wait(min(left, 0.1))


def framed_say_hello(name):
    """SayHelloRequest{name} as one gRPC(-Web) message: flag 0, length, protobuf."""
    message = b"\x0a" + bytes([len(name)]) + name.encode()
    return b"\x00" + len(message).to_bytes(4, "big") + message


def curl(args, data=None):
    """(exit code, stdout bytes, stderr text) of curl over HTTP/1.1."""
    done = subprocess.run(["curl", "-sS", "--http1.1", "--max-time", "10"] + args,
                          input=data, capture_output=True, timeout=30)
    return done.returncode, done.stdout, done.stderr.decode(errors="replace")


def run_one_port_case(case, settings):
    if not shutil.which("curl"):
        return Outcome("FAIL", ["curl not found (Debian package: curl)"])
    server = Child("rust server", [str(env.binary("grpc-web")), "server", "--addr", "127.0.0.1:0"],
                   cwd=env.REPO, env=env.rust_env())
    problems = []
    try:
        port = wait_for_port_line(server, READY_TIMEOUT)
        if port is None:
            return Outcome("FAIL", [f"rust server: no start-up line within {READY_TIMEOUT} s; "
                                    f"came {server.stdout[-3:]}"] + server.stderr_tail())
        program = env.program_path("v1", "sync_unary_client.py")
        client = Child("python client", [str(env.venv_python()), str(program), "--target", f"127.0.0.1:{port}"],
                       cwd=env.PROTO_PY, env=env.python_env())
        code = client.finish(CLIENT_TIMEOUT)
        if code != 0:
            problems.append(f"python client: expected exit code 0, came {code}")
        problems += checks.exact("python client", unary_lines("Jack"), client.stdout)

        code, body, err = curl([f"http://127.0.0.1:{port}/v1/hello/Jack"])
        if (code, body) != (0, b'{"message":"Hello, Jack!"}'):
            problems.append(f"curl GET /v1/hello/Jack: expected the JSON greeting, came exit {code}, {body!r} {err}")

        url = f"http://127.0.0.1:{port}/tutorial.helloworld.v1.GreeterService/SayHello"
        code, body, err = curl(["-H", "content-type: application/grpc-web+proto", "-H", "x-grpc-web: 1",
                                "--data-binary", "@-", url], data=framed_say_hello("Jack"))
        answer = framed_say_hello("Hello, Jack!")
        if code != 0 or not body.startswith(answer) or b"grpc-status:0" not in body[len(answer):]:
            problems.append(f"curl gRPC-Web SayHello: expected the greeting and grpc-status:0, "
                            f"came exit {code}, {body!r} {err}")
    finally:
        server.stop(grace=3)
    if problems:
        return Outcome("FAIL", problems + server.stderr_tail())
    return Outcome("PASS", [], "the tutorial's client (h2c), curl's JSON and gRPC-Web (HTTP/1.1): one port")
