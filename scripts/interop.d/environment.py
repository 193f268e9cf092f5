"""Getting ready: the Python virtualenv, the tutorial's stubs, the Rust binaries.

Everything is written under target/ of the repository: nothing outside it.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
REQUIREMENTS = HERE / "requirements.txt"
PROGRAMS = HERE / "py"
VENV = REPO / "target" / "interop-venv"
WORK = REPO / "target" / "interop"
PROTO_PY = WORK / "proto-py"
PROTO_VERSIONS = ("v1", "v2", "v3", "v4")


def in_ci():
    """Whether this runs under CI (`CI=true` or `CI=1`, as CI services set it)."""
    return os.environ.get("CI", "").lower() in ("true", "1")


def log(text):
    print(f"[interop] {text}", flush=True)


def venv_python():
    return VENV / "bin" / "python"


def ensure_venv():
    """Creates target/interop-venv and installs the pinned packages, once.

    A stamp file holds the hash of requirements.txt: when it matches and the
    packages import, nothing is downloaded again.
    """
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    stamp = VENV / ".interop-requirements.sha256"
    python = venv_python()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        check = subprocess.run(
            [python, "-c", "import grpc, grpc_tools, grpc_health, grpc_reflection"],
            capture_output=True,
        )
        if check.returncode == 0:
            log(f"virtualenv {rel(VENV)} is up to date")
            return
    if not python.exists():
        log(f"creating virtualenv {rel(VENV)}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], check=True)
    log(f"installing {', '.join(pins())}")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS],
        check=True,
    )
    stamp.write_text(wanted + "\n")


def pins():
    lines = REQUIREMENTS.read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def compile_protos():
    """Copies proto/ and compiles every version with the tutorial's own command line.

    Then puts each Python program next to the stubs of its proto version, where
    the tutorial's scripts sit, so `import helloworld_pb2` works as it does there.
    """
    shutil.rmtree(PROTO_PY, ignore_errors=True)
    shutil.copytree(REPO / "proto", PROTO_PY)
    for version in PROTO_VERSIONS:
        proto = f"./tutorial/helloworld/{version}/helloworld.proto"
        if not (PROTO_PY / proto).exists():
            continue
        command = [
            "python3", "-m", "grpc_tools.protoc", "--proto_path=.", "--python_out=.",
            "--pyi_out=.", "--grpc_python_out=.", proto,
        ]
        log("$ " + " ".join(command))
        # `python3` is the virtualenv's: its bin/ comes first on PATH.
        subprocess.run(command, cwd=PROTO_PY, env=python_env(), check=True)
    log(f"stubs in {rel(PROTO_PY)}")


def program_path(version, program):
    """Copies scripts/interop.d/py/<program> next to the <version> stubs; returns the copy."""
    target = PROTO_PY / "tutorial" / "helloworld" / version / program
    if not target.exists():
        shutil.copy2(PROGRAMS / program, target)
    return target


def python_env():
    """The environment the Python programs run in.

    PATH starts with the virtualenv. PYTHONPATH is the stub root: the generated
    helloworld_pb2_grpc.py imports `tutorial.helloworld.vN.helloworld_pb2`, which
    the tutorial's layout finds only from there. Output is unbuffered UTF-8 so
    lines arrive as they are printed.
    """
    env = dict(os.environ)
    env["PATH"] = str(VENV / "bin") + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(VENV)
    env["PYTHONPATH"] = str(PROTO_PY)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONHOME", None)
    return env


def rust_env():
    """The environment the lesson binaries run in: errors without backtraces, so
    the report shows the error itself."""
    env = dict(os.environ)
    env["RUST_BACKTRACE"] = "0"
    env["RUST_LIB_BACKTRACE"] = "0"
    return env


def target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))


def crate_dirs():
    """{package name: folder} for every crate under crates/ (they are grouped by chapter)."""
    dirs = {}
    for manifest in (REPO / "crates").glob("**/Cargo.toml"):
        match = re.search(r'^name\s*=\s*"([^"]+)"', manifest.read_text(), re.MULTILINE)
        if match:
            dirs[match.group(1)] = manifest.parent
    return dirs


def present_lessons(lessons):
    """The lessons whose crates exist in this checkout."""
    dirs = crate_dirs()
    return [name for name in lessons if name in dirs]


def build_lessons(lessons):
    """`cargo build -p` every lesson; returns {lesson: error text} for those that failed."""
    if not lessons:
        return {}
    failures = {}
    command = ["cargo", "build", "--quiet"] + [arg for name in lessons for arg in ("-p", name)]
    log("$ " + " ".join(command))
    if subprocess.run(command, cwd=REPO).returncode != 0:
        # Build one by one to find out which lesson is broken.
        for name in lessons:
            result = subprocess.run(
                ["cargo", "build", "--quiet", "-p", name], cwd=REPO, capture_output=True, text=True
            )
            if result.returncode != 0:
                failures[name] = "cargo build -p %s failed:\n%s" % (name, result.stderr[-2000:])
    for name in lessons:
        if name not in failures and not binary(name).exists():
            failures[name] = f"cargo build -p {name} made no {rel(binary(name))}"
    return failures


def generate_certs(folder):
    """Runs `auth gen-certs --out folder`; returns an error text, or None."""
    shutil.rmtree(folder, ignore_errors=True)
    command = [str(binary("auth")), "gen-certs", "--out", str(folder)]
    log("$ " + " ".join([rel(command[0])] + command[1:3] + [rel(folder)]))
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not (Path(folder) / "ca.pem").exists():
        return f"auth gen-certs failed (exit code {result.returncode}):\n{result.stderr[-2000:]}"
    return None


def binary(lesson):
    return target_dir() / "debug" / lesson


def rel(path):
    try:
        return str(Path(path).relative_to(REPO))
    except ValueError:
        return str(path)
