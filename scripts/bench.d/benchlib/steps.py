"""The tuning lesson's steps (crates/lessons/6-production/tuning, page
production/tuning.md): the async-unary listing, then one change at a time, each
measured in the same run with the same h2load load as the unary stage, beside
grpc-go and the roofline. Steps marked "tried" are measured and not kept."""
from . import loads
from .stages import peer_server, repeated, rust_server
from .stats import count, ms, ratio, spread, table, times, us1, values

WINDOWS = ["--stream-window", str(1 << 20), "--connection-window", str(8 << 20),
           "--max-frame-size", str((1 << 24) - 1)]
# (name, binary, flags, the row it changes): a kept step carries the kept steps
# before it; a "tried" one changes a kept row and is measured, not carried on.
LISTING = "the listing (`async-unary server`)"
SAME = "`tuning server`, no flags (same code path)"
PER_CORE = "+ `--per-core` (current-thread runtime per core, SO_REUSEPORT)"
MIMALLOC = "+ mimalloc (`tuning-mimalloc`)"
WIDE = "+ larger windows and frames"
STEPS = [
    (LISTING, "async-unary", [], None),
    (SAME, "tuning", [], LISTING),
    (PER_CORE, "tuning", ["--per-core"], SAME),
    (MIMALLOC, "tuning-mimalloc", ["--per-core"], PER_CORE),
    (WIDE, "tuning-mimalloc", ["--per-core", *WINDOWS], MIMALLOC),
    ("+ `--max-concurrent-streams 1000`", "tuning-mimalloc",
     ["--per-core", *WINDOWS, "--max-concurrent-streams", "1000"], WIDE),
    ("tried: `--adaptive-window`", "tuning-mimalloc", ["--per-core", "--adaptive-window"], MIMALLOC),
    ("tried: `--no-nodelay` (Nagle on)", "tuning-mimalloc", ["--per-core", "--no-nodelay"], MIMALLOC),
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


def verdicts(runs):
    """One generated line per step against the row it changes: req/s, CPU per
    call and p99, and whether every repetition agrees (repetitions interleave, so
    rep i of a step and rep i of its base ran minutes apart at most)."""
    lines = []
    for name, _, _, base in STEPS:
        own, theirs = runs.get(name), runs.get(base)
        if not own or not theirs:
            continue
        per_rep = [x / y for x, y in zip(values(own, "per_second"), values(theirs, "per_second"))]
        agree = ("faster in every repetition" if min(per_rep) > 1 else
                 "slower in every repetition" if max(per_rep) < 1 else "faster in some repetitions, slower in others")
        cpu = ratio(own, theirs, "server_cpu_us", higher_is_better=False)[0]
        p99 = (spread(theirs, "p99_us", ms).split()[0], spread(own, "p99_us", ms).split()[0])
        lines.append(f"- {name}, against {base}: {times(ratio(own, theirs, 'per_second')[0])} the req/s "
                     f"({agree}), server CPU per call {times(1 / cpu)} as much, p99 {p99[0]} → {p99[1]} ms.")
    return "\n".join(lines)


def section(stages):
    """The tuning page's table and what each step did (also in the benchmarks results)."""
    runs = stages.get("steps")
    if not runs:
        return ""
    first, go = runs.get(LISTING), runs.get("grpc-go")
    rows = [[name, spread(own, "per_second", count), ratio(own, first, "per_second")[1],
             ratio(own, go, "per_second")[1],
             spread(own, "server_cpu_us", us1),
             ratio(own, go, "server_cpu_us", higher_is_better=False)[1],
             spread(own, "p50_us", ms), spread(own, "p99_us", ms)]
            for name, own in runs.items()]
    headers = ["step", "req/s", "× the listing", "× grpc-go", "server CPU µs/req",
               "CPU × grpc-go (higher: cheaper)", "p50 ms", "p99 ms"]
    return ("<!-- ANCHOR: steps -->\n### Tuning the async-unary server, step by step\n\n"
            + table(headers, rows) + "\n\nEach step against the row it changes (medians):\n\n"
            + verdicts(runs) + "\n<!-- ANCHOR_END: steps -->")
