"""The tuning lesson's steps (crates/lessons/6-production/tuning, page
production/tuning.md): the async-unary listing, then one change at a time, each
measured in the same run with the same h2load load as the unary stage, beside
grpc-go and the roofline. Steps marked "tried" are measured and not kept."""
from . import loads
from .stages import peer_server, repeated, rust_server
from .stats import count, ms, ratio, spread, table, us1

WINDOWS = ["--stream-window", str(1 << 20), "--connection-window", str(8 << 20),
           "--max-frame-size", str((1 << 24) - 1)]
# (name, binary, flags, kept?): each kept step carries the kept steps before it.
STEPS = [
    ("the listing (`async-unary server`)", "async-unary", [], True),
    ("`tuning server`, no flags (same code path)", "tuning", [], True),
    ("+ `--per-core` (current-thread runtime per core, SO_REUSEPORT)", "tuning", ["--per-core"], True),
    ("+ mimalloc (`tuning-mimalloc`)", "tuning-mimalloc", ["--per-core"], True),
    ("+ larger windows and frames", "tuning-mimalloc", ["--per-core", *WINDOWS], True),
    ("+ `--max-concurrent-streams 1000`", "tuning-mimalloc",
     ["--per-core", *WINDOWS, "--max-concurrent-streams", "1000"], True),
    ("tried: `--adaptive-window`", "tuning-mimalloc", ["--per-core", "--adaptive-window"], False),
    ("tried: `--no-nodelay` (Nagle on)", "tuning-mimalloc", ["--per-core", "--no-nodelay"], False),
]


def servers(ctx):
    found = {name: rust_server(ctx, binary, "server", *flags) for name, binary, flags, _ in STEPS}
    found["roofline (hyper alone)"] = rust_server(ctx, "bench-roofline")
    if ctx.peers:
        found["grpc-go"] = peer_server(ctx, "go", "unary_server")
    return found


def steps(ctx):
    """h2load against every step, interleaved with the references."""
    def measure(server):
        loads.check(ctx.settings, server)
        return {server.name: loads.h2load(ctx.settings, server)}
    return repeated(ctx, servers(ctx), measure)


def section(stages):
    """The tuning page's table (also in the benchmarks results)."""
    runs = stages.get("steps")
    if not runs:
        return ""
    first, go = runs.get(STEPS[0][0]), runs.get("grpc-go")
    rows = [[name, spread(own, "per_second", count), ratio(own, first, "per_second")[1],
             ratio(own, go, "per_second")[1],
             spread(own, "server_cpu_us", us1),
             ratio(own, go, "server_cpu_us", higher_is_better=False)[1],
             spread(own, "p50_us", ms), spread(own, "p99_us", ms)]
            for name, own in runs.items()]
    headers = ["step", "req/s", "× the listing", "× grpc-go", "server CPU µs/req",
               "CPU × grpc-go (higher: cheaper)", "p50 ms", "p99 ms"]
    return ("<!-- ANCHOR: steps -->\n### Tuning the async-unary server, step by step\n\n"
            + table(headers, rows) + "\n<!-- ANCHOR_END: steps -->")
