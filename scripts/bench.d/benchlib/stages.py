"""The measured stages. Each takes the run's context and returns its raw samples:
{server or case: [one dict per repetition]}. Repetitions are interleaved (rep 1 of
every server, then rep 2 ...) so slow drift on the machine spreads over all servers."""
import os
import shutil
import time

from . import loads, tools
from .config import PEERS_DIR, ROOT, STREAM_SIZES, stream_count
from .procs import Server

BIG_FRAME = (1 << 24) - 1  # HTTP/2's largest SETTINGS_MAX_FRAME_SIZE
# The client tuned for throughput: 16 MiB frames and an 8 MiB stream window
# (hyper's default is 2 MiB); see "Tuning for throughput" in benchmarks.md.
TUNED = ["--max-frame-size", str(BIG_FRAME), "--stream-window", str(8 << 20)]
SERVERS_PY = os.path.join(ROOT, "scripts", "bench.d", "py", "servers.py")
INTEROP_PY = os.path.join(ROOT, "scripts", "interop.d", "py")


def python_server(ctx, kind):
    """The streaming shapes on the tutorial's Python server styles (servers.py)."""
    return lambda port: [ctx.python, SERVERS_PY, kind, "--port", str(port), "--stubs", ctx.stubs]


def tutorial_unary(ctx, program, *flags):
    """The interop suite's copy of a tutorial unary server (the tutorial's code,
    address as flags), run the tutorial's way: `import helloworld_pb2` finds the v1
    stubs, which import each other from the stub root."""
    v1 = os.path.join(ctx.stubs, "tutorial", "helloworld", "v1")
    cmd = lambda port: [ctx.python, os.path.join(INTEROP_PY, program),  # noqa: E731
                        *[f.format(port=port) for f in flags]]
    return cmd, {"PYTHONPATH": os.pathsep.join([v1, ctx.stubs])}


def rust_server(ctx, binary, *args):
    """A Rust server binary of the run's profile, listening on the given port."""
    return lambda port: [ctx.settings.binary(binary), *args, "--addr", f"127.0.0.1:{port}"]


def peer_server(ctx, language, program):
    """A scripts/peers server (grpc-go or gRPC C++), as the interop suite runs it."""
    path = os.path.join(PEERS_DIR, language, program)
    return lambda port: [path, "--host", "127.0.0.1", "--port", str(port)]


def unary_servers(ctx):
    """The unary servers, in table order (the peers only when they were built)."""
    servers = {
        "async-unary": rust_server(ctx, "async-unary", "server"),
        "sync-unary": rust_server(ctx, "sync-unary", "server"),
        "python-sync": tutorial_unary(ctx, "sync_unary_server.py", "--host", "127.0.0.1",
                                      "--port", "{port}"),
        "python-aio": tutorial_unary(ctx, "async_unary_server.py", "--listen", "127.0.0.1:{port}"),
        "tonic-helloworld": rust_server(ctx, "bench-tonic-helloworld"),
        "roofline": rust_server(ctx, "bench-roofline"),
    }
    fresh = tools.fresh_helloworld_binary()
    if fresh and not ctx.settings.quick:  # built by full runs only: a cold build of its own
        servers["tonic-helloworld-fresh"] = lambda port: [fresh, "--addr", f"127.0.0.1:{port}"]
    if ctx.peers:
        servers.update({
            "go": peer_server(ctx, "go", "unary_server"),
            "cpp-sync": peer_server(ctx, "cpp", "unary_server"),
            "cpp-callback": peer_server(ctx, "cpp", "unary_callback_server"),
        })
    return servers


def stream_servers(ctx):
    """The streaming servers: ours, the tutorial's two Python styles, and the peers."""
    servers = {
        "rust": rust_server(ctx, "bench-stream-server"),
        "python-sync": python_server(ctx, "sync-streams"),
        "python-aio": python_server(ctx, "aio-streams"),
    }
    if ctx.peers:
        servers.update({
            "go": peer_server(ctx, "go", "stream_bench_server"),
            "cpp": peer_server(ctx, "cpp", "stream_bench_server"),
        })
    return servers


def repeated(ctx, servers, measure):
    """Runs `measure(server) -> {case: sample}` for every server, rep after rep.
    `servers` maps names to a command, or to (command, extra environment)."""
    samples = {}
    for _ in range(ctx.settings.reps):
        for name, spec in servers.items():
            cmd, env = spec if isinstance(spec, tuple) else (spec, None)
            with Server(name, cmd, ctx.settings.work_dir, env=env) as server:
                for case, sample in measure(server).items():
                    samples.setdefault(case, []).append(sample)
    return samples


def unary(ctx):
    """h2load against each unary server, with its idle and peak RSS."""
    def measure(server):
        loads.check(ctx.settings, server)
        time.sleep(0.2 if ctx.settings.quick else 0.5)  # let start-up allocations settle
        idle = server.status_kib("VmRSS")
        sample = loads.h2load(ctx.settings, server)
        sample.update(idle_rss_kib=idle, peak_rss_kib=server.status_kib("VmHWM"))
        return {server.name: sample}
    return repeated(ctx, unary_servers(ctx), measure)


def validation(ctx):
    """Our load client beside h2load on the same servers, same -c/-m."""
    s = ctx.settings
    flags = ["--connections", str(s.connections), "--in-flight", str(s.streams_per_conn)]
    servers = {k: v for k, v in unary_servers(ctx).items() if k in ("async-unary", "roofline")}
    return repeated(ctx, servers, lambda server: {
        f"{server.name} h2load": loads.h2load(s, server),
        f"{server.name} bench-client": loads.bench_client(s, server, "unary", *flags),
    })


def streaming(ctx):
    """Server-streaming messages/s and MB/s per message size; the largest size once
    more with the client accepting HTTP/2 frames of up to 16 MiB instead of 16 KiB,
    and the two large sizes with the client tuned (16 MiB frames, 8 MiB window)."""
    variants = ([(size, "", []) for size in STREAM_SIZES]
                + [(STREAM_SIZES[-1], " big-frames", ["--max-frame-size", str(BIG_FRAME)])]
                + [(size, " tuned", TUNED) for size in STREAM_SIZES[2:]])

    def measure(server):
        cases = {}
        for size, variant, extra in variants:
            flags = ["--size", str(size), "--count", str(stream_count(size)),
                     "--connections", str(ctx.settings.stream_connections), *extra]
            case = f"{size} {server.name}{variant}"
            cases[case] = loads.bench_client(ctx.settings, server, "stream", *flags)
        cases[f"peak-rss {server.name}"] = {"peak_rss_kib": server.status_kib("VmHWM")}
        return cases
    return repeated(ctx, stream_servers(ctx), measure)


def pingpong(ctx):
    """Bidi round trips on one stream, one message in flight. When root, the Rust
    server once more under SCHED_FIFO (`chrt -f 10`): woken, it runs at once instead
    of waiting behind other processes, which shows how much of the p99 is the
    machine's scheduler rather than the server."""
    servers = stream_servers(ctx)
    if os.geteuid() == 0 and shutil.which("chrt"):
        rust = servers["rust"]
        servers["rust-fifo"] = lambda port: ["chrt", "-f", "10", *rust(port)]
    return repeated(ctx, servers, lambda server: {
        server.name: loads.bench_client(ctx.settings, server, "pingpong")})
