"""The measured stages. Each takes the run's context and returns its raw samples:
{server or case: [one dict per repetition]}. Repetitions are interleaved (rep 1 of
every server, then rep 2 ...) so slow drift on the machine spreads over all servers."""
import os
import time

from . import loads
from .config import ROOT, STREAM_SIZES, stream_count
from .procs import Server

SERVERS_PY = os.path.join(ROOT, "scripts", "bench.d", "py", "servers.py")


def python_server(ctx, kind):
    return lambda port: [ctx.python, SERVERS_PY, kind, "--port", str(port), "--stubs", ctx.stubs]


def rust_server(ctx, binary, *args):
    return lambda port: [ctx.settings.binary(binary), *args, "--addr", f"127.0.0.1:{port}"]


def unary_servers(ctx):
    """The five unary servers, in table order."""
    return {
        "async-unary": rust_server(ctx, "async-unary", "server"),
        "sync-unary": rust_server(ctx, "sync-unary", "server"),
        "python-sync": python_server(ctx, "sync-unary"),
        "python-aio": python_server(ctx, "aio-unary"),
        "roofline": rust_server(ctx, "bench-roofline"),
    }


def stream_servers(ctx):
    """The streaming servers: ours, and the tutorial's two Python styles."""
    return {
        "rust": rust_server(ctx, "bench-stream-server"),
        "python-sync": python_server(ctx, "sync-streams"),
        "python-aio": python_server(ctx, "aio-streams"),
    }


def repeated(ctx, servers, measure):
    """Runs `measure(server) -> {case: sample}` for every server, rep after rep."""
    samples = {}
    for _ in range(ctx.settings.reps):
        for name, cmd in servers.items():
            with Server(name, cmd, ctx.settings.work_dir) as server:
                for case, sample in measure(server).items():
                    samples.setdefault(case, []).append(sample)
    return samples


def unary(ctx):
    """h2load against each unary server, with its idle and peak RSS."""
    def measure(server):
        loads.check(ctx.settings, server)
        time.sleep(0.5)
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
    """Server-streaming messages/s and MB/s per message size."""
    def measure(server):
        cases = {}
        for size in STREAM_SIZES:
            flags = ["--size", str(size), "--count", str(stream_count(size)),
                     "--connections", str(ctx.settings.stream_connections)]
            cases[f"{size} {server.name}"] = loads.bench_client(
                ctx.settings, server, "stream", *flags)
        cases[f"peak-rss {server.name}"] = {"peak_rss_kib": server.status_kib("VmHWM")}
        return cases
    return repeated(ctx, stream_servers(ctx), measure)


def pingpong(ctx):
    """Bidi round trips on one stream, one message in flight."""
    return repeated(ctx, stream_servers(ctx), lambda server: {
        server.name: loads.bench_client(ctx.settings, server, "pingpong")})
