"""The cases: each lesson, each direction, each name that must go through.

A case names a lesson, the Python program that plays its other side, the flags
for each side, and what the client must print (exact lines, or a check). The
server's lines follow from the lesson. run.py runs them.
"""
from dataclasses import dataclass, field
from pathlib import Path

import authz
import checks
import one_port
import otel
import tls_control
import uds
from outcomes import DIRECTIONS, PY_TO_RUST, RUST_TO_PY, Outcome, secret_file, unary_lines  # noqa: F401 (re-exported)

ONE_MIB = 1024 * 1024


@dataclass
class Lesson:
    """One lesson crate and the tutorial programs that play its roles."""

    crate: str
    proto: str
    program: str  # scripts/interop.d/py/<program>_{server,client}.py
    announces: bool  # sync servers print the start-up line; the others print nothing
    mode: str = None  # the auth lesson's mode: `auth <mode> server|client`

    def start_line(self, port):
        return f"Server started, listening on {port}" if self.announces else None


@dataclass
class Case:
    lesson: Lesson
    variant: str
    direction: str
    # extra flags: for the Python and the Rust side, server and client
    py_server: list = field(default_factory=list)
    py_client: list = field(default_factory=list)
    rust_server: list = field(default_factory=list)
    rust_client: list = field(default_factory=list)
    expect_client: list = None  # exact lines, or None when `check` decides
    check: object = None  # check(client_lines, server_lines) -> (problems, note)
    rust_only: str = None  # why --python-only cannot run this case
    refused: str = None  # the client must fail with this status code (in its stderr)
    peer: str = None  # "go" or "cpp": a scripts/peers program plays the other side (peers.py)
    run: object = None  # run(case, settings) -> Outcome: a case with its own steps (otel.py)

    @property
    def row(self):
        crate = f"{self.lesson.crate} {self.lesson.mode}" if self.lesson.mode else self.lesson.crate
        return f"{crate} ({self.variant})"


class Settings:
    """What the run needs to know: Python-only mode, scaled timings, files."""

    def __init__(self, python_only, initial_delay, work_delay, name_file, certs):
        self.python_only = python_only
        self.initial_delay = initial_delay
        self.work_delay = work_delay
        self.name_file = name_file  # holds the 1 MiB name
        self.certs = certs  # folder written by `auth gen-certs`


TOKEN = "interop-suite-token-0123456789abcdef"
SECRET = "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988"  # 32 bytes, hex


# --- The table of cases ----------------------------------------------------

SYNC_UNARY = Lesson("sync-unary", "v1", "sync_unary", announces=True)
SYNC_SERVER_STREAMING = Lesson("sync-server-streaming", "v2", "sync_server_streaming", announces=True)
SYNC_BIDI = Lesson("sync-bidi-streaming", "v3", "sync_bidi_streaming", announces=True)
ASYNC_UNARY = Lesson("async-unary", "v1", "async_unary", announces=False)
ASYNC_SERVER_STREAMING = Lesson("async-server-streaming", "v2", "async_server_streaming", announces=False)
ASYNC_CLIENT_STREAMING = Lesson("async-client-streaming", "v4", "async_client_streaming", announces=False)
ASYNC_BIDI = Lesson("async-bidi-streaming", "v3", "async_bidi_streaming", announces=False)
HEALTH_REFLECTION = Lesson("health-reflection", "v1", "health_reflection", announces=False)
AUTH = {mode: Lesson("auth", "v1", "auth", announces=True, mode=mode)
        for mode in ("tls", "mtls", "token", "combined", "custom")}
OBSERVABILITY = Lesson("observability", "v1", "observability", announces=False)
AUTHORIZATION = Lesson("authorization", "v1", "auth", announces=False)
LOCAL_SOCKETS = Lesson("local-sockets", "v1", "async_unary", announces=False)
TLS_CONTROL = Lesson("tls-control", "v1", "auth", announces=False)
GRPC_WEB = Lesson("grpc-web", "v1", "sync_unary", announces=True)


def all_cases(settings):
    name_file = settings.name_file
    cases = []
    both = lambda **kw: [Case(direction=d, **kw) for d in DIRECTIONS]  # noqa: E731

    cases += both(lesson=SYNC_UNARY, variant="Jack", expect_client=unary_lines("Jack"))
    for variant, name in (("世界", "世界"), ("empty name", "")):
        cases += both(lesson=SYNC_UNARY, variant=variant, py_client=["--name", name],
                      rust_client=["--name", name], expect_client=unary_lines(name))
    # The largest kind of name one command-line argument can carry (Linux caps each at 128 KiB).
    wide = "名" * (100 * 1024 // 3)
    cases += both(lesson=SYNC_UNARY, variant="100 KiB name", py_client=["--name", wide],
                  rust_client=["--name", wide], expect_client=unary_lines(wide))
    big = "x" * ONE_MIB
    # 1 MiB does not fit in one command-line argument: both clients read it from a file.
    cases += both(lesson=SYNC_UNARY, variant="1 MiB name", py_client=["--name-file", name_file],
                  rust_client=["--name-file", name_file], expect_client=unary_lines(big))

    cases += both(lesson=SYNC_SERVER_STREAMING, variant="Jack",
                  expect_client=["Will try to greet world ..."]
                  + [f"Greeter client received: Hello number {i}, Jack!" for i in range(5)])

    timing_py = ["--initial-delay", str(settings.initial_delay), "--work-delay", str(settings.work_delay)]
    timing_rust = ["--initial-delay", f"{round(settings.initial_delay * 1000)}ms",
                   "--work-delay", f"{round(settings.work_delay * 1000)}ms"]
    cases += both(lesson=SYNC_BIDI, variant="flow control, 25 × 4000 chars",
                  py_server=timing_py, rust_server=timing_rust,
                  check=lambda client, server: checks.bidi_client(client, server, 25, 4000, settings.initial_delay))

    cases += both(lesson=ASYNC_UNARY, variant="jack",
                  expect_client=["Greeter client received: Hello, jack!"])
    cases += both(lesson=ASYNC_UNARY, variant="世界", py_client=["--name", "世界"],
                  rust_client=["--name", "世界"], expect_client=["Greeter client received: Hello, 世界!"])
    cases += both(lesson=ASYNC_SERVER_STREAMING, variant="jack",
                  expect_client=[f"Greeter client received: Hello number {i}, jack!" for i in range(3)])

    # The workshop's additions to the tutorial's shapes, in grpc.aio on the Python side.
    cases += both(lesson=ASYNC_CLIENT_STREAMING, variant="a, b, c",
                  expect_client=["Greeter client received: Hello, a, b and c! (greeted_count = 3)"])
    cases += both(lesson=ASYNC_CLIENT_STREAMING, variant="no names",
                  py_client=["--names", ""], rust_client=["--names"],
                  expect_client=["Greeter client received: Hello, nobody! (greeted_count = 0)"])
    cases += both(lesson=ASYNC_BIDI, variant="jack × 3",
                  check=lambda client, _: (checks.chat_client(client, "jack", 3), None))

    greeter = "tutorial.helloworld.v1.GreeterService"
    facts = [f"{greeter} is defined in tutorial/helloworld/v1/helloworld.proto (2 messages)",
             f"health of {greeter}: SERVING"]
    rust_list = "the expected listing is the Rust server's"
    cases.append(Case(HEALTH_REFLECTION, "list, describe, check", PY_TO_RUST, rust_only=rust_list, expect_client=[
        "Services listed by reflection:", "  grpc.health.v1.Health",
        "  grpc.reflection.v1.ServerReflection", "  grpc.reflection.v1alpha.ServerReflection",
        f"  {greeter}"] + facts))
    # grpcio-reflection serves v1alpha only: our client falls back to it, as grpcurl does.
    from_grpcio = ["Services listed by reflection:", "  grpc.health.v1.Health",
                   "  grpc.reflection.v1alpha.ServerReflection", f"  {greeter}"] + facts
    cases.append(Case(HEALTH_REFLECTION, "list, describe, check", RUST_TO_PY, rust_only=rust_list,
                      expect_client=from_grpcio))

    certs = ["--certs", settings.certs]
    # Secrets travel in 0600 files, never in argv (`ps` shows every command line).
    secrets = Path(settings.certs).parent / "secrets"
    token = ["--token-file", secret_file(secrets / "token", TOKEN)]
    secret = ["--secret-file", secret_file(secrets / "secret", SECRET)]
    plaintext = ["--plaintext"]  # Rust's custom mode signs over plaintext only when told (loopback)
    for mode, variant, py, rust_client, greeted in (
        ("tls", "server certificate", certs, certs, "Jack"),
        ("mtls", "client certificate", certs, certs, "workshop-client"),  # CN of gen-certs' client cert
        ("token", "bearer token, plaintext", token, token + ["--allow-insecure-token"], "Jack"),
        ("combined", "TLS + bearer token", certs + token, certs + token, "Jack"),
        ("custom", "HMAC request signature", secret, secret + plaintext, "Jack"),
    ):
        rust_server = py + plaintext if mode == "custom" else py
        cases += both(lesson=AUTH[mode], variant=variant, py_server=py, py_client=py, rust_server=rust_server,
                      rust_client=rust_client, expect_client=[f"Greeter client received: Hello, {greeted}!"])

    # The same call credentials, wrong: both stacks must say UNAUTHENTICATED.
    wrong_token = ["--token-file", secret_file(secrets / "wrong-token", "not-the-token-0123456789")]
    wrong_secret = ["--secret-file", secret_file(secrets / "wrong-secret", "0000000000000000000000000000000000000000000000000000000000000000")]
    for mode, variant, server, client, extra in (
        ("token", "wrong token refused", token, wrong_token, ["--allow-insecure-token"]),
        ("combined", "wrong token refused", certs + token, certs + wrong_token, []),
        ("custom", "wrong secret refused", secret, wrong_secret, plaintext),
    ):
        rust_server = server + plaintext if mode == "custom" else server
        cases += both(lesson=AUTH[mode], variant=variant, py_server=server, rust_server=rust_server,
                      py_client=client, rust_client=client + extra, expect_client=[],
                      refused="UNAUTHENTICATED")

    # grpcio's bearer token against the A43 policy: allowed, denied, unknown (authz.py).
    cases.append(Case(AUTHORIZATION, "grpcio token: alice served, bob PERMISSION_DENIED, unknown UNAUTHENTICATED",
                      PY_TO_RUST, rust_only="the policy is the Rust lesson's", run=authz.run_authz_case))

    # One trace from an instrumented Python client through the Rust front and its backend.
    cases.append(Case(OBSERVABILITY, "one trace, python client → rust front → rust backend", PY_TO_RUST,
                      rust_only="the trace continues in the Rust servers", run=otel.run_trace_case))

    # The tutorial's async unary programs over `unix:` (grpcio), both ways; no port (uds.py).
    rust_only = "the socket and its peer credentials are the Rust lesson's"
    cases += both(lesson=LOCAL_SOCKETS, variant="jack over unix:", rust_server=["--socket"],
                  rust_client=["--addr"], rust_only=rust_only, run=uds.run_uds_case)
    cases.append(Case(LOCAL_SOCKETS, "grpcio's default :authority refused", PY_TO_RUST,
                      rust_server=["--socket"], rust_only=rust_only, run=uds.run_default_authority_case))

    # The tutorial's mTLS client against our own TLS acceptor, before and after a revocation.

    cases.append(Case(TLS_CONTROL, "mTLS, then the client's certificate revoked", PY_TO_RUST,
                      rust_server=["--certs", "--reload-every"], rust_only="the acceptor and its CRL are the Rust lesson's",
                      run=tls_control.run_mtls_case))

    # gRPC, gRPC-Web and JSON on one port: the tutorial's client, then curl (one_port.py).
    cases.append(Case(GRPC_WEB, "Jack, then curl's JSON and gRPC-Web on the same port", PY_TO_RUST,
                      rust_only="the port's JSON and gRPC-Web are the Rust lesson's",
                      run=one_port.run_one_port_case))
    return cases


def expected_server(case, port):
    """What the server side prints, as the tutorial's server would."""
    start = case.lesson.start_line(port)
    if case.lesson is SYNC_BIDI:
        return checks.bidi_server_lines(25, 4000, start)
    return [start] if start else []
