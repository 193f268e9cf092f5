"""Run settings: what --quick changes, in one place, so both modes run the same code."""
import os
from dataclasses import dataclass, field

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
UNARY_PATH = "/tutorial.helloworld.v1.GreeterService/SayHello"
STREAM_SIZES = [16, 1024, 64 * 1024, 1024 * 1024]
# Binaries the bench builds: the two lessons, the bench's own crates, and tonic's
# helloworld server as a baseline for async-unary.
RUST_PACKAGES = ["async-unary", "sync-unary", "bench-roofline", "bench-stream-server",
                 "bench-client", "bench-tonic-helloworld", "tuning"]
# The grpc-go and gRPC C++ programs of scripts/peers, built by scripts/peers/build.
PEERS_BUILD = os.path.join(ROOT, "scripts", "peers", "build")
PEERS_DIR = os.path.join(ROOT, "target", "peers")


@dataclass
class Settings:
    """One run's knobs. Load settings are pinned and printed with the results."""
    quick: bool
    reps: int
    seconds: float
    warmup: float
    profile: str                  # cargo profile: "dev" (quick) or "bench-release"
    out_dir: str
    cold_build: bool
    connections: int = 4          # h2load -c
    streams_per_conn: int = 10    # h2load -m
    callgrind_requests: int = 20000
    stream_connections: int = 2
    only: list = field(default_factory=list)

    @property
    def target_dir(self):
        """Where cargo puts the binaries of this run's profile."""
        sub = "debug" if self.profile == "dev" else self.profile
        return os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), sub)

    def binary(self, name):
        """Path of one of the bench's binaries."""
        return os.path.join(self.target_dir, name)

    @property
    def work_dir(self):
        """Scratch files (request body, logs, stubs) under target/, never in the tree."""
        path = os.path.join(ROOT, "target", "bench", "work")
        os.makedirs(path, exist_ok=True)
        return path


def settings_for(args):
    """Settings from the parsed command line."""
    if args.quick:
        return Settings(quick=True, reps=1, seconds=1.0, warmup=0.3, profile="dev",
                        out_dir=os.path.join(ROOT, "target", "bench", "quick"),
                        cold_build=False, callgrind_requests=300, only=args.only)
    return Settings(quick=False, reps=args.reps, seconds=args.seconds, warmup=2.0,
                    profile="bench-release",
                    out_dir=args.out or os.path.join(ROOT, "docs", "src", "benchmarks"),
                    cold_build=not args.skip_cold_build, only=args.only)


def stream_count(size):
    """Messages per stream: about 64 MiB of payload, between 16 and 100 000 messages."""
    return max(16, min(100_000, (64 << 20) // size))
