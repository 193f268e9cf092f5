"""The grpc.testing group: grpc's own interop contract, client x server x case,
plaintext and TLS, between our Rust `reliability interop-server/-client`, the
Python peer (scripts/peers/python, grpcio) and the Go peer (scripts/peers/go/
interop_server and interop_client, Debian's grpc-go, built by scripts/peers/build).

Returns rows for the matrix table; `--update-docs` writes it into
docs/src/beyond/grpc-testing-matrix.txt, which the reliability pages include.
"""
import subprocess
import time

import environment as env
import peers
import procs

CASES = (
    "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong",
    "empty_stream", "timeout_on_sleeping_server", "cancel_after_begin",
    "cancel_after_first_response", "status_code_and_message", "special_status_message",
    "custom_metadata", "unimplemented_method", "unimplemented_service",
    "client_compressed_unary", "client_compressed_streaming", "server_compressed_unary",
    "server_compressed_streaming", "rpc_soak", "channel_soak", "max_streams",
)
# (client, server) pairs the matrix runs.
PAIRS = (("rust", "rust"), ("rust", "python"), ("rust", "go"), ("python", "rust"), ("go", "rust"))
# Cells that cannot pass, and why: they must fail (a pass means the note is stale).
LIMITS = {
    ("rust", "python", "client_compressed_unary"):
        "grpcio's server shows a handler neither grpc-encoding nor the message flag: it cannot refuse the probe",
    ("rust", "python", "client_compressed_streaming"):
        "grpcio's server shows a handler neither grpc-encoding nor the message flag: it cannot refuse the probe",
}
STUBS = env.WORK / "grpc-testing-py"
CERTS = env.WORK / "grpc-testing-certs"
PEER = env.REPO / "scripts" / "peers" / "python"
DOCS_TABLE = env.REPO / "docs" / "src" / "beyond" / "grpc-testing-matrix.txt"
# TLS: the server certificate `auth gen-certs` writes names localhost; clients
# dial 127.0.0.1 and check that name through --server_host_override.
TLS_NAME = "localhost"
SOAK = ["--soak_iterations", "5", "--soak_overall_timeout_seconds", "20"]


def prepare():
    """Builds the Rust side, compiles the Python stubs, generates the TLS certificates;
    returns an error text or None."""
    broken = env.build_lessons(["reliability", "auth"])
    if broken:
        return "; ".join(broken.values())
    STUBS.mkdir(parents=True, exist_ok=True)
    protos = [f"grpc/testing/{name}.proto" for name in ("empty", "messages", "test")]
    result = subprocess.run(
        [str(env.venv_python()), "-m", "grpc_tools.protoc", "--proto_path=.", f"--python_out={STUBS}",
         f"--grpc_python_out={STUBS}", *protos],
        cwd=env.REPO / "proto", capture_output=True, text=True)
    if result.returncode != 0:
        return f"grpc_tools.protoc failed: {result.stderr[-2000:]}"
    status, text = peers.build()
    if status != "ok":
        return f"the Go peer: {text}"
    return env.generate_certs(CERTS)


def python_env():
    environment = env.python_env()
    environment["GRPC_TESTING_STUBS"] = str(STUBS)
    return environment


# The case that needs a server allowing one stream per connection, as upstream's does.
ONE_STREAM_CASES = ("max_streams",)


def server_argv(kind, tls, one_stream=False):
    flags = ["--port", "0"] + (["--max_concurrent_streams", "1"] if one_stream else [])
    if tls:
        flags += ["--use_tls", "--tls_cert_file", str(CERTS / "server.pem"), "--tls_key_file", str(CERTS / "server.key")]
    if kind == "rust":
        return [str(env.binary("reliability")), "interop-server", *flags], env.rust_env()
    if kind == "go":
        return [str(peers.OUT / "go" / "interop_server"), *flags], env.rust_env()
    return [str(env.venv_python()), str(PEER / "interop_server.py"), *flags], python_env()


def client_argv(kind, port, tls, case):
    flags = ["--server_host", "127.0.0.1", "--server_port", str(port), "--test_case", case, *SOAK]
    if tls:
        flags += ["--use_tls", "--use_test_ca", "--ca_file", str(CERTS / "ca.pem"), "--server_host_override", TLS_NAME]
    if kind == "rust":
        return [str(env.binary("reliability")), "interop-client", *flags], env.rust_env()
    if kind == "go":
        return [str(peers.OUT / "go" / "interop_client"), *flags], env.rust_env()
    return [str(env.venv_python()), str(PEER / "interop_client.py"), *flags], python_env()


def listening_port(child, timeout=20.0):
    """The port from the server's `listening on PORT` line, or None."""
    deadline = time.monotonic() + timeout
    with child._changed:
        while True:
            for line in child.stdout:
                if line.startswith("listening on "):
                    return int(line.split()[-1])
            left = deadline - time.monotonic()
            if left <= 0 or not child.running():
                return None
            child._changed.wait(min(left, 0.1))


def run_matrix():
    """Runs every cell; returns [(client, server, transport, case, status, detail)]."""
    problem = prepare()
    if problem:
        return [("-", "-", "-", "-", "FAIL", problem)]
    rows = []
    for tls in (False, True):
        transport = "TLS" if tls else "plaintext"
        for server in sorted({s for _, s in PAIRS}):
            for one_stream in (False, True):
                cases = [c for c in CASES if (c in ONE_STREAM_CASES) == one_stream]
                argv, environment = server_argv(server, tls, one_stream)
                child = procs.Child(f"{server} interop-server", argv, env=environment)
                port = listening_port(child)
                for client in [c for c, s in PAIRS if s == server]:
                    for case in cases:
                        if port is None:
                            rows.append((client, server, transport, case, "FAIL",
                                         f"the server did not start: {child.stderr_tail()}"))
                            continue
                        rows.append((client, server, transport, case, *run_cell(client, server, port, tls, case)))
                        env.log(f"{rows[-1][4]}  grpc.testing {case}: {client} client -> {server} server, {transport}")
                child.stop(grace=2)
    return rows


def run_cell(client, server, port, tls, case):
    argv, environment = client_argv(client, port, tls, case)
    child = procs.Child(f"{client} interop-client {case}", argv, env=environment)
    code = child.finish(timeout=60)
    detail = " ".join(child.stderr[-3:])[:300]
    limit = LIMITS.get((client, server, case))
    if limit:
        if code == 0:
            return "FAIL", f"passed, but is listed as a known limit ({limit}): update grpc_testing.LIMITS"
        return "LIMIT", limit
    if code == 0:
        return "PASS", ""
    return "FAIL", detail if code is not None else "timed out after 60 s"


def matrix_table(rows):
    """Markdown: one row per case, one column per client -> server, transport."""
    columns = [(c, s, t) for t in ("plaintext", "TLS") for c, s in PAIRS]
    cells = {(r[0], r[1], r[2], r[3]): r[4] for r in rows}
    head = "| case | " + " | ".join(f"{c} → {s} ({t})" for c, s, t in columns) + " |"
    lines = [head, "|" + "---|" * (len(columns) + 1)]
    for case in CASES:
        lines.append(f"| {case} | " + " | ".join(cells.get((c, s, t, case), "-") for c, s, t in columns) + " |")
    return "\n".join(lines) + "\n"


def write_docs_table(rows):
    DOCS_TABLE.write_text(
        "<!-- generated by `scripts/interop --update-docs` (scripts/interop.d/grpc_testing.py); do not edit -->\n\n"
        + matrix_table(rows), encoding="utf-8")
    env.log(f"wrote {env.rel(DOCS_TABLE)}")


def check_docs_table(rows):
    """None when the committed table matches this run, else what to do."""
    if not DOCS_TABLE.exists() or matrix_table(rows) not in DOCS_TABLE.read_text(encoding="utf-8"):
        return f"{env.rel(DOCS_TABLE)} differs from this run's grpc.testing matrix: run scripts/interop --update-docs"
    return None
