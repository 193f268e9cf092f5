"""The tls-control case: the tutorial's mTLS client (grpcio, BoringSSL) against
the Rust lesson's own tokio-rustls acceptor, with certificates from `auth
gen-certs` and a CRL from `tls-control revoke`; then the client's certificate is
revoked while the server runs, and the same client is refused.
"""
import subprocess
import tempfile

import checks
import environment as env
from outcomes import Outcome
from procs import Child, free_port

READY_TIMEOUT = 30
CLIENT_TIMEOUT = 60
NEW_CRL = "server: now checking clients against the new CRL"
REFUSED = "server: refused a connection: invalid peer certificate: Revoked"


def run_mtls_case(case, settings):
    broken = env.build_lessons(["auth"])  # gen-certs; quick when already built
    if broken:
        return Outcome("FAIL", [broken["auth"]])
    with tempfile.TemporaryDirectory(prefix="grpc-interop-tls-") as folder:
        problem = env.generate_certs(folder) or revoke(folder)
        if problem:
            return Outcome("FAIL", [problem])
        return with_server(folder)


def revoke(folder, *certificates):
    result = subprocess.run([str(env.binary("tls-control")), "revoke", "--certs", folder, *certificates],
                            capture_output=True, text=True)
    return None if result.returncode == 0 else f"tls-control revoke failed: {result.stderr[-2000:]}"


def start_server(folder):
    for _ in range(3):
        port = free_port()
        argv = [str(env.binary("tls-control")), "server", "--addr", f"127.0.0.1:{port}",
                "--certs", folder, "--reload-every", "20ms"]
        server = Child("rust server", argv, cwd=env.REPO, env=env.rust_env())
        if server.wait_for_port(port, READY_TIMEOUT):
            return server, port
        server.stop()
        if not any("in use" in line.lower() for line in server.stderr):
            break
    return server, None


def python_client(folder, port):
    program = env.program_path("v1", "auth_client.py")
    client = Child("python client", [str(env.venv_python()), str(program), "mtls", "--target",
                                     f"localhost:{port}", "--certs", folder, "--name", "Jack"],
                   cwd=env.PROTO_PY, env=env.python_env())
    return client, client.finish(CLIENT_TIMEOUT)


def with_server(folder):
    server, port = start_server(folder)
    children = [server]
    try:
        if port is None:
            return Outcome("FAIL", ["rust server did not start"] + server.stderr_tail())
        served, code = python_client(folder, port)
        children.append(served)
        problems = [] if code == 0 else [f"python client: expected exit code 0, came {code}"]
        problems += checks.exact("python client", ["Greeter client received: Hello, Jack!"], served.stdout)
        problem = revoke(folder, f"{folder}/client.pem")
        if problem:
            return Outcome("FAIL", problems + [problem])
        if not server.wait_for_line(NEW_CRL, READY_TIMEOUT):
            return Outcome("FAIL", problems + [f"rust server: expected {NEW_CRL!r}; came {server.stdout}"])
        refused, code = python_client(folder, port)
        children.append(refused)
        if code in (0, None):
            problems.append(f"python client with a revoked certificate: expected it to fail, came exit code {code}")
        if not server.wait_for_line(REFUSED, READY_TIMEOUT):
            problems.append(f"rust server: expected {REFUSED!r}; came {server.stdout}")
    finally:
        server.stop()
    if not problems:
        return Outcome("PASS", [], "grpcio's mTLS client served, then refused once its certificate was revoked")
    for child in children:
        if child.stderr:
            problems.append(f"{child.label} stderr (last lines):")
            problems += ["    " + checks.shorten(line) for line in child.stderr_tail()]
    return Outcome("FAIL", problems)
