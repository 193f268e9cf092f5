"""The local-sockets cases: the tutorial's async unary programs (grpcio) over
`unix:` against the Rust lesson, both ways.

No port: each run gets a fresh directory in the system temp folder (a socket
path must fit in ~108 bytes, which a deep checkout's target/ may not), removed
afterwards. Python → Rust also checks that the Rust server read the Python
client's real uid, gid and pid from the socket.

grpcio sends a `unix:` target's path as `:authority` (percent-encoded,
`tmp%2F…%2Fgreeter.sock`), which is no host name: hyper's h2 refuses the stream
(RST_STREAM PROTOCOL_ERROR, grpcio reports INTERNAL). The tutorial's client as it
is pins that (run_default_authority_case); py/local_sockets_client.py, the same
client naming `localhost` (grpc.default_authority, what tonic and grpc-go send
over a Unix socket), gets through.
"""
import os
import socket
import tempfile
import time

import checks
import environment as env
from outcomes import PY_TO_RUST, Outcome
from procs import Child

READY_TIMEOUT = 30
CLIENT_TIMEOUT = 60
GREETING = ["Greeter client received: Hello, jack!"]


def wait_for_socket(child, path, timeout):
    """Waits until the Unix socket at `path` accepts a connection; False on timeout or exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.running():
            return False
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(path)
                return True
            except OSError:
                pass
        try:  # returns at once if the child exits; otherwise a short bounded pause
            child.proc.wait(timeout=0.05)
        except Exception:
            pass
    return False


def run_uds_case(case, settings):
    """The greeting both ways: local_sockets_client.py → Rust, Rust → the tutorial's server."""
    with tempfile.TemporaryDirectory(prefix="grpc-interop-uds-") as folder:
        if case.direction == PY_TO_RUST:
            return python_client_rust_server(os.path.join(folder, "run", "greeter.sock"),
                                             "local_sockets_client.py")
        return rust_client_python_server(os.path.join(folder, "greeter.sock"))


def run_default_authority_case(case, settings):
    """The tutorial's async client, unchanged, refused by the Rust server's HTTP/2."""
    with tempfile.TemporaryDirectory(prefix="grpc-interop-uds-") as folder:
        return python_client_rust_server(os.path.join(folder, "run", "greeter.sock"),
                                         "async_unary_client.py")


def python_client_rust_server(path, program_name):
    server = Child("rust server", [str(env.binary("local-sockets")), "server", "--socket", path],
                   cwd=env.REPO, env=env.rust_env())
    listening = f"server: listening on {path}"
    try:
        if not server.wait_for_line(listening, READY_TIMEOUT):
            return Outcome("FAIL", [f"rust server: expected {listening!r} within {READY_TIMEOUT} s; "
                                    f"came {server.stdout[-3:]}"] + server.stderr_tail())
        program = env.program_path("v1", program_name)
        client = Child("python client", [str(env.venv_python()), str(program), "--target", f"unix:{path}"],
                       cwd=env.PROTO_PY, env=env.python_env())
        code = client.finish(CLIENT_TIMEOUT)
        server_code = server.stop()
    finally:
        server.stop(grace=3)
    if program_name == "local_sockets_client.py":
        problems = [] if code == 0 else [f"python client: expected exit code 0, came {code}"]
        problems += checks.exact("python client", GREETING, client.stdout)
        peer = f"server: SayHello from uid {os.getuid()}, gid {os.getgid()}, pid {client.proc.pid}"
        problems += checks.exact("rust server", [listening, peer], server.stdout)
        note = "the Rust server saw the Python client's uid, gid and pid"
    else:  # the known limit: refused before any handler runs
        refused = "Received RST_STREAM with error code 1"
        problems = [] if code != 0 and any(refused in line for line in client.stderr) else [
            f"python client: expected INTERNAL with {refused!r} (h2 refuses the socket path as "
            f":authority); came exit code {code}, stdout {client.stdout}"]
        problems += checks.exact("rust server", [listening], server.stdout)
        note = "limit: grpcio's default :authority for unix: (the socket path) is refused by hyper's h2"
    if server_code != 0:
        problems.append(f"rust server: expected exit code 0 after SIGTERM, came {server_code}")
    if os.path.exists(os.path.dirname(path)):
        problems.append(f"rust server: left {os.path.dirname(path)} behind")
    return finish(problems, [server, client], note)


def rust_client_python_server(path):
    program = env.program_path("v1", "async_unary_server.py")
    server = Child("python server", [str(env.venv_python()), str(program), "--listen", f"unix:{path}"],
                   cwd=env.PROTO_PY, env=env.python_env())
    try:
        if not wait_for_socket(server, path, READY_TIMEOUT):
            return Outcome("FAIL", [f"python server: expected it to listen on unix:{path} within "
                                    f"{READY_TIMEOUT} s (exit code {server.proc.poll()})"] + server.stderr_tail())
        client = Child("rust client", [str(env.binary("local-sockets")), "client", "--addr", f"unix:{path}"],
                       cwd=env.REPO, env=env.rust_env())
        code = client.finish(CLIENT_TIMEOUT)
    finally:
        server.stop()
    problems = [] if code == 0 else [f"rust client: expected exit code 0, came {code}"]
    problems += checks.exact("rust client", GREETING, client.stdout)
    return finish(problems, [server, client], None)


def finish(problems, children, note):
    if not problems:
        return Outcome("PASS", [], note)
    for child in children:
        if child.stderr:
            problems.append(f"{child.label} stderr (last lines):")
            problems += ["    " + checks.shorten(line) for line in child.stderr_tail()]
    return Outcome("FAIL", problems)
