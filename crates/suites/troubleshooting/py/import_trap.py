"""The Python stubs' import path trap, reproduced as the tutorial's reader meets it.

Compiles v1 exactly as the tutorial's chapter 1 does (grpc_tools.protoc from the
proto root, --grpc_python_out=.), puts the tutorial's unary client next to the
generated files and runs it from there, without PYTHONPATH. The generated
helloworld_pb2_grpc.py imports `tutorial.helloworld.v1.helloworld_pb2`, which only
resolves from the proto root. Prints the error line after `TRAP: `, then proves
the fix (PYTHONPATH=<proto root>) gets past the imports.

Uses the interop suite's virtualenv (scripts/interop.d/environment.py).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(REPO / "scripts" / "interop.d"))
import environment  # noqa: E402


def main():
    environment.ensure_venv()
    python = str(environment.venv_python())
    with tempfile.TemporaryDirectory() as root:
        shutil.copytree(REPO / "proto", root, dirs_exist_ok=True)
        subprocess.run(
            [python, "-m", "grpc_tools.protoc", "--proto_path=.", "--python_out=.", "--pyi_out=.",
             "--grpc_python_out=.", "./tutorial/helloworld/v1/helloworld.proto"],
            cwd=root, check=True,
        )
        v1 = Path(root) / "tutorial" / "helloworld" / "v1"
        shutil.copy2(REPO / "scripts" / "interop.d" / "py" / "sync_unary_client.py", v1 / "client.py")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        trapped = subprocess.run([python, "client.py", "--help"], cwd=v1, env=env,
                                 capture_output=True, text=True)
        lines = trapped.stderr.strip().splitlines()
        print("TRAP: " + (lines[-1] if lines else f"no error (exit {trapped.returncode})"))
        fixed = subprocess.run([python, "client.py", "--help"], cwd=v1, env={**env, "PYTHONPATH": root},
                               capture_output=True, text=True)
        print("FIXED: " + ("ok" if fixed.returncode == 0 else fixed.stderr.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
