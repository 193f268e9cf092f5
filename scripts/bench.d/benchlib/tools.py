"""Everything the bench needs besides itself: h2load, a Python venv, generated
stubs, cargo builds, and a description of the machine. Missing tools are
installed when possible; otherwise the error says what to install."""
import os
import platform
import shutil
import subprocess
import sys

from .config import PEERS_BUILD, PEERS_DIR, ROOT, RUST_PACKAGES

VENV = os.path.join(ROOT, "target", "bench-venv")
REQUIREMENTS = os.path.join(ROOT, "scripts", "bench.d", "requirements.txt")


class Missing(RuntimeError):
    """A tool the bench needs is not there and could not be installed."""


def log(message):
    """Progress goes to stderr; stdout is the report."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(cmd, **kwargs):
    """Runs a command, failing loudly with its output when it fails."""
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def ensure_h2load():
    """h2load from Debian's nghttp2-client, installed with apt-get when root."""
    if shutil.which("h2load"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise Missing("h2load not found: install nghttp2-client (apt-get install nghttp2-client)")
    log("installing nghttp2-client (h2load) with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "nghttp2-client"], env=env)


def venv_python():
    """target/bench-venv with requirements.txt installed (once); returns its python."""
    python = os.path.join(VENV, "bin", "python")
    stamp = os.path.join(VENV, ".requirements")
    with open(REQUIREMENTS) as wanted:
        pins = wanted.read()
    if os.path.exists(stamp) and open(stamp).read() == pins:
        return python
    log("creating target/bench-venv (grpcio, matplotlib; pinned)")
    if not os.path.exists(python):
        run([sys.executable, "-m", "venv", VENV])
    try:
        run([python, "-m", "pip", "install", "-q", "-r", REQUIREMENTS])
    except RuntimeError as error:
        raise Missing(f"pip could not install {REQUIREMENTS}: {error}") from error
    with open(stamp, "w") as done:
        done.write(pins)
    return python


def python_stubs(python, work_dir):
    """Generates the v1-v3 Python stubs from proto/ (as the tutorial's protoc step)."""
    out = os.path.join(work_dir, "pystubs")
    os.makedirs(out, exist_ok=True)
    protos = [f"tutorial/helloworld/v{n}/helloworld.proto" for n in (1, 2, 3)]
    run([python, "-m", "grpc_tools.protoc", "-I", os.path.join(ROOT, "proto"),
         f"--python_out={out}", f"--grpc_python_out={out}", *protos])
    return out


def cargo_build(profile):
    """Builds the bench's binaries: the lessons and the bench crates, nothing else."""
    cmd = ["cargo", "build", "--quiet", "--profile", profile]
    for package in RUST_PACKAGES:
        cmd += ["-p", package]
    log(" ".join(cmd))
    run(cmd, cwd=ROOT)
    if profile != "dev":  # the tuning stage compares the lesson in the plain release profile
        run(["cargo", "build", "--quiet", "--release", "-p", "async-unary"], cwd=ROOT)
        build_fresh_helloworld()


FRESH_HELLOWORLD = os.path.join(ROOT, "target", "bench", "fresh-helloworld")


def build_fresh_helloworld():
    """tonic's helloworld server built as its own new project (scripts/bench.d/
    fresh-helloworld): own lockfile, tonic's default features, own target folder.
    The server is crates/bench/tonic-helloworld's, with the generated module
    included in the file instead of taken from the workspace's helloworld-proto."""
    template = os.path.join(ROOT, "scripts", "bench.d", "fresh-helloworld")
    for folder in ("src", "proto"):
        os.makedirs(os.path.join(FRESH_HELLOWORLD, folder), exist_ok=True)
    for name in ("Cargo.toml", "build.rs"):
        shutil.copy(os.path.join(template, name), os.path.join(FRESH_HELLOWORLD, name))
    shutil.copy(os.path.join(ROOT, "proto", "tutorial", "helloworld", "v1", "helloworld.proto"),
                os.path.join(FRESH_HELLOWORLD, "proto", "helloworld.proto"))
    with open(os.path.join(ROOT, "crates", "bench", "tonic-helloworld", "src", "main.rs")) as f:
        server = f.read()
    if "helloworld_proto::v1::" not in server:
        raise RuntimeError("crates/bench/tonic-helloworld no longer uses helloworld_proto::v1")
    module = 'pub mod helloworld {\n    tonic::include_proto!("tutorial.helloworld.v1");\n}\n\n'
    first_use = server.index("\nuse ") + 1  # after the file's doc comment
    server = server[:first_use] + module + server[first_use:].replace("helloworld_proto::v1::", "helloworld::")
    with open(os.path.join(FRESH_HELLOWORLD, "src", "main.rs"), "w") as f:
        f.write(server)
    env = {k: v for k, v in os.environ.items() if k not in ("CARGO_TARGET_DIR", "RUSTFLAGS")}
    env["CARGO_TARGET_DIR"] = os.path.join(FRESH_HELLOWORLD, "target")
    log("cargo build --release in target/bench/fresh-helloworld (its own lockfile and target/)")
    run(["cargo", "build", "--quiet", "--release"], cwd=FRESH_HELLOWORLD, env=env)


def fresh_helloworld_binary():
    """The fresh project's server, or None before build_fresh_helloworld ran."""
    path = os.path.join(FRESH_HELLOWORLD, "target", "release", "fresh-helloworld")
    return path if os.path.exists(path) else None


def build_peers():
    """scripts/peers/build; returns None when the peers are ready, else why not.

    Exit code 3 means Debian packages are missing and we are not root: the peer
    rows are left out, loudly. Under CI=true the build itself fails instead,
    and so does the setup."""
    done = subprocess.run([PEERS_BUILD], capture_output=True, text=True, cwd=ROOT)
    for line in (done.stdout + done.stderr).strip().splitlines():
        log(line)
    if done.returncode == 3:
        return (done.stdout + done.stderr).strip().splitlines()[-1]
    if done.returncode != 0:
        raise RuntimeError(f"scripts/peers/build failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return None


def peers_absent():
    """With --no-build: None when the peers' binaries are there, else why not."""
    for program in ("go/unary_server", "cpp/unary_server", "go/stream_bench_server"):
        if not os.path.exists(os.path.join(PEERS_DIR, program)):
            return f"target/peers/{program} is missing (run scripts/peers/build)"
    return None


def machine():
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in run(["lscpu"]).splitlines()
                if line.startswith("Model name")), platform.processor())
    with open("/proc/meminfo") as meminfo:
        mem_kib = int(meminfo.readline().split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(mem_kib / 2**20, 1),
        "kernel": platform.release(),
        "rustc": run(["rustc", "--version"]).strip(),
        "python": platform.python_version(),
        "h2load": run(["h2load", "--version"]).strip(),
    }
