"""Running one case: start the server, wait for it, run the client, check both.

Every wait is bounded; the server is stopped whatever happens.
"""
import shlex

import checks
import environment as env
import peers
from cases import PY_TO_RUST, RUST_TO_PY, Outcome, expected_server
from procs import Child, free_port

READY_TIMEOUT = 30  # seconds for a server to start listening
CLIENT_TIMEOUT = 60  # seconds for a client to finish


def run_case(case, settings):
    if case.run is not None:
        return case.run(case, settings)
    lesson = case.lesson
    rust_server = case.direction in (PY_TO_RUST, peers.client_direction(case.peer)) and not settings.python_only
    rust_client = case.direction in (RUST_TO_PY, peers.server_direction(case.peer)) and not settings.python_only
    peer_server = case.peer and not rust_server
    for attempt in range(3):
        port = free_port()
        if rust_server:
            server = start_rust_server(case, port)
        elif peer_server:
            server = Child(f"{case.peer} server", peers.peer_server_argv(case, port), cwd=env.REPO)
        else:
            server = start_py_server(case, port)
        # The peer servers print the sync tutorial's start-up line.
        problems = wait_ready(server, f"Server started, listening on {port}" if peer_server
                              else lesson.start_line(port), port)
        if not problems:
            break
        server.stop()
        # Another program may have taken the free port first: try a new one.
        if not any("in use" in line.lower() or "bind" in line.lower() for line in server.stderr):
            return Outcome("FAIL", problems)
    else:
        return Outcome("FAIL", problems)
    try:
        if rust_client:
            client = start_rust_client(case, port)
        elif case.peer:
            client = Child(f"{case.peer} client", peers.peer_client_argv(case, port), cwd=env.REPO)
        else:
            client = start_py_client(case, port)
        code = client.finish(CLIENT_TIMEOUT)
    finally:
        server.stop()
    problems = []
    if code is None:
        problems.append(f"{client.label}: expected it to finish within {CLIENT_TIMEOUT} s; it was killed")
    elif case.refused:
        if code == 0 or not any(case.refused in line for line in client.stderr):
            problems.append(f"{client.label}: expected the call to fail with {case.refused}; "
                            f"came exit code {code} and no {case.refused} in its error output")
    elif code != 0:
        problems.append(f"{client.label}: expected exit code 0, came {code}")
    note = None
    if case.check is not None:
        found, note = case.check(client.stdout, server.stdout)
        problems += found
    else:
        problems += checks.exact(client.label, case.expect_client, client.stdout)
    expected = peers.expected_server(case, port) if peer_server else expected_server(case, port)
    problems += checks.exact(server.label, expected, server.stdout)
    if not problems:
        return Outcome("PASS", [], note)
    problems.append("to reproduce, run from the repository root:")
    problems += [f"    {command(child)}" for child in (server, client)]
    for child in (client, server):
        if child.stderr:
            problems.append(f"{child.label} stderr (last lines):")
            problems += ["    " + checks.shorten(line) for line in child.stderr_tail()]
    return Outcome("FAIL", problems, note)


def wait_ready(server, line, port):
    """Waits for the server's start-up line, or for its port when it prints none."""
    if line:
        if server.wait_for_line(line, READY_TIMEOUT):
            return []
        came = server.stdout[-3:] or ["(nothing)"]
        return [f"{server.label}: expected {line!r} within {READY_TIMEOUT} s; came {came} "
                f"(exit code {server.proc.poll()})"] + ["    " + l for l in server.stderr_tail()]
    if server.wait_for_port(port, READY_TIMEOUT):
        return []
    return [f"{server.label}: expected it to listen on 127.0.0.1:{port} within {READY_TIMEOUT} s "
            f"(exit code {server.proc.poll()})"] + ["    " + l for l in server.stderr_tail()]


def start_py_server(case, port):
    lesson = case.lesson
    program = env.program_path(lesson.proto, f"{lesson.program}_server.py")
    address = ["--host", "127.0.0.1", "--port", str(port)] if lesson.announces else ["--listen", f"127.0.0.1:{port}"]
    argv = [str(env.venv_python()), str(program)] + mode(lesson) + address + case.py_server
    return Child("python server", argv, cwd=env.PROTO_PY, env=env.python_env())


def start_py_client(case, port):
    lesson = case.lesson
    program = env.program_path(lesson.proto, f"{lesson.program}_client.py")
    argv = [str(env.venv_python()), str(program)] + mode(lesson) + ["--target", f"127.0.0.1:{port}"] + case.py_client
    return Child("python client", argv, cwd=env.PROTO_PY, env=env.python_env())


def start_rust_server(case, port):
    argv = ([str(env.binary(case.lesson.crate))] + mode(case.lesson)
            + ["server", "--addr", f"127.0.0.1:{port}"] + case.rust_server)
    return Child("rust server", argv, cwd=env.REPO, env=env.rust_env())


def start_rust_client(case, port):
    # Secure modes get grpcio's `host:port` form: the lesson picks https:// itself.
    address = f"127.0.0.1:{port}" if case.lesson.mode else f"http://127.0.0.1:{port}"
    argv = ([str(env.binary(case.lesson.crate))] + mode(case.lesson)
            + ["client", "--addr", address] + case.rust_client)
    return Child("rust client", argv, cwd=env.REPO, env=env.rust_env())


def mode(lesson):
    return [lesson.mode] if lesson.mode else []


def command(child):
    """A child's command line, shell-quoted, with long arguments shortened."""
    words = [env.rel(word) if word.startswith("/") else word for word in map(str, child.argv)]
    words = [word if len(word) <= 120 else word[:20] + f"...({len(word)} chars)" for word in words]
    prefix = "PYTHONPATH=target/interop/proto-py " if child.label.startswith("python") else ""
    return prefix + " ".join(shlex.quote(word) for word in words)
