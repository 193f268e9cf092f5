"""The observability case: a trace that starts in a Python client
(opentelemetry-instrumentation-grpc) and continues in the Rust lesson's front
server and its downstream call to a Rust backend: one trace id, each span the
child of the one before. All three export over OTLP/gRPC, configured only by
OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME, to py/otlp_receiver.py.
"""
import json
import time

import environment as env
from outcomes import Outcome
from procs import Child, free_port

READY_TIMEOUT = 30
CLIENT_TIMEOUT = 60
SERVICE = "tutorial.helloworld.v1.GreeterService"
KIND_SERVER, KIND_CLIENT = 2, 3


def wait_for_prefix(child, prefix, timeout):
    """The first stdout line starting with `prefix`, or None on timeout or exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [line for line in child.stdout if line.startswith(prefix)]
        if found:
            return found[0]
        if not child.running():
            return None
        try:  # returns at once if the child exits; otherwise a short bounded pause
            child.proc.wait(timeout=0.05)
        except Exception:
            pass
    return None


def otel_env(base, endpoint, service_name):
    environment = dict(base)
    environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
    environment["OTEL_SERVICE_NAME"] = service_name
    environment.pop("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", None)
    return environment


def start_rust(label, endpoint, service_name, extra):
    """A Rust lesson server on a free port; (child, port) or (child, None)."""
    for _ in range(3):
        port = free_port()
        argv = [str(env.binary("observability")), "server", "--addr", f"127.0.0.1:{port}",
                "--metrics-addr", "127.0.0.1:0"] + extra
        child = Child(label, argv, cwd=env.REPO, env=otel_env(env.rust_env(), endpoint, service_name))
        if child.wait_for_port(port, READY_TIMEOUT):
            return child, port
        child.stop()
        if not any("in use" in line.lower() for line in child.stderr):
            break
    return child, None


def run_trace_case(case, settings):
    receiver = Child("otlp receiver", [str(env.venv_python()), str(env.PROGRAMS / "otlp_receiver.py")],
                     cwd=env.PROTO_PY, env=env.python_env())
    children = [receiver]
    try:
        line = wait_for_prefix(receiver, "listening on ", READY_TIMEOUT)
        if not line:
            return Outcome("FAIL", ["otlp receiver did not start"] + receiver.stderr_tail())
        endpoint = "http://" + line.split()[-1]

        backend, backend_port = start_rust("rust backend", endpoint, "backend", [])
        children.append(backend)
        if backend_port is None:
            return Outcome("FAIL", ["rust backend did not start"] + backend.stderr_tail())
        front, front_port = start_rust("rust front", endpoint, "front",
                                       ["--downstream", f"http://127.0.0.1:{backend_port}"])
        children.append(front)
        if front_port is None:
            return Outcome("FAIL", ["rust front did not start"] + front.stderr_tail())

        program = env.program_path("v1", "observability_client.py")
        client = Child("python client", [str(env.venv_python()), str(program), "--target",
                                         f"127.0.0.1:{front_port}", "--name", "Jack"],
                       cwd=env.PROTO_PY, env=otel_env(env.python_env(), endpoint, "python-client"))
        children.append(client)
        code = client.finish(CLIENT_TIMEOUT)
        # SIGTERM: each server drains, then sends its last spans before exiting.
        front_code, backend_code = front.stop(), backend.stop()
        receiver.stop()
    finally:
        for child in children:
            child.stop(grace=3)

    problems = []
    if code != 0:
        problems.append(f"python client: expected exit code 0, came {code}")
    wanted = ["Greeter client received: Hello, Jack! (via the backend)"]
    if client.stdout != wanted:
        problems.append(f"python client: expected {wanted}, came {client.stdout}")
    if (front_code, backend_code) != (0, 0):
        problems.append(f"rust servers exit codes after SIGTERM: front {front_code}, backend {backend_code}")
    spans = [json.loads(line) for line in receiver.stdout if line.startswith("{")]
    problems += check_chain(spans)
    if problems:
        for child in children:
            if child.stderr:
                problems.append(f"{child.label} stderr (last lines):")
                problems += ["    " + line for line in child.stderr_tail()]
        return Outcome("FAIL", problems)
    return Outcome("PASS", [], f"{len(spans)} spans, one trace: python-client → front → front → backend")


def check_chain(spans):
    """Problems with the received spans, or [] when they are the expected chain."""
    if len(spans) != 4:
        return [f"expected 4 spans (python client, front server, front client, backend server), "
                f"received {len(spans)}: {spans}"]
    roots = [s for s in spans if not s["parent_span_id"]]
    if len(roots) != 1:
        return [f"expected one root span (the Python client's), found {len(roots)}: {spans}"]
    chain = roots
    while len(chain) < len(spans):
        children = [s for s in spans if s["parent_span_id"] == chain[-1]["span_id"]]
        if len(children) != 1:
            return [f"span {chain[-1]['span_id']} ({chain[-1]['service_name']}) has "
                    f"{len(children)} children, expected 1: {spans}"]
        chain.append(children[0])
    problems = []
    shape = [(s["service_name"], s["kind"]) for s in chain]
    expected = [("python-client", KIND_CLIENT), ("front", KIND_SERVER), ("front", KIND_CLIENT),
                ("backend", KIND_SERVER)]
    if shape != expected:
        problems.append(f"expected the chain {expected}, came {shape}")
    if len({s["trace_id"] for s in spans}) != 1:
        problems.append(f"expected one trace id, came {sorted({s['trace_id'] for s in spans})}")
    for span in chain:
        attributes = span["attributes"]
        for key, value in (("rpc.system", "grpc"), ("rpc.service", SERVICE), ("rpc.method", "SayHello"),
                           ("rpc.grpc.status_code", "0")):
            if attributes.get(key) != value:
                problems.append(f"{span['service_name']} span: {key} = {attributes.get(key)!r}, "
                                f"expected {value!r}")
    return problems
