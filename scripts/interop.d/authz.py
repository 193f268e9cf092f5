"""The authorization lesson against grpcio: the auth lesson's Python client, in
token mode (grpcio's access_token_call_credentials), calls the Rust server that
judges callers by an A43 policy. Alice's token is served, Bob's is known but not
allowed (PERMISSION_DENIED), a token nobody issued names no one (UNAUTHENTICATED).
"""
import checks
import environment as env
from outcomes import Outcome, secret_file
from procs import Child, free_port

READY_TIMEOUT = 30
CLIENT_TIMEOUT = 60
ALICE = "alice-interop-token-0123456789abcdef"
BOB = "bob-interop-token-0123456789abcdef01"


def run_authz_case(case, settings):
    secrets = env.WORK / "secrets" / "authorization"
    tokens = secret_file(secrets / "tokens", f"alice {ALICE}\nbob {BOB}\n")
    port = free_port()
    server = Child("rust server", [str(env.binary("authorization")), "server", "--addr", f"127.0.0.1:{port}",
                                   "--tokens", tokens], cwd=env.REPO, env=env.rust_env())
    problems = []
    try:
        if not server.wait_for_port(port, READY_TIMEOUT):
            return Outcome("FAIL", [f"rust server: not listening on {port} within {READY_TIMEOUT} s"]
                           + server.stderr_tail())
        program = str(env.program_path("v1", "auth_client.py"))
        for who, token, refused in (("alice", ALICE, None), ("bob", BOB, "PERMISSION_DENIED"),
                                    ("nobody", "issued-to-nobody-0123456789abcdef", "UNAUTHENTICATED")):
            token_file = secret_file(secrets / f"{who}.token", token)
            client = Child(f"python client ({who})",
                           [str(env.venv_python()), program, "token", "--target", f"127.0.0.1:{port}",
                            "--token-file", token_file], cwd=env.PROTO_PY, env=env.python_env())
            code = client.finish(CLIENT_TIMEOUT)
            if refused is None:
                if code != 0:
                    problems.append(f"{client.label}: expected exit code 0, came {code}: {client.stderr_tail()}")
                problems += checks.exact(client.label, ["Greeter client received: Hello, Jack!"], client.stdout)
            elif code == 0 or not any(refused in line for line in client.stderr):
                problems.append(f"{client.label}: expected {refused}, came exit code {code}, "
                                f"stderr {client.stderr_tail()}")
    finally:
        server.stop(grace=3)
    if problems:
        return Outcome("FAIL", problems + server.stderr_tail())
    return Outcome("PASS", [])
