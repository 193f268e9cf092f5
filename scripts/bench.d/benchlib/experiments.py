"""Experiments on the async-unary lesson without touching its code: does another
allocator or the tuned release profile change what it costs per request?

Each variant is measured twice: h2load throughput (interleaved with the others,
like every stage) and callgrind's instructions per request, which stays the same
however busy the machine is."""
import os

from . import loads
from .config import ROOT
from .costs import callgrind
from .stages import repeated, rust_server

JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
PLAIN_RELEASE = os.path.join(ROOT, "target", "release", "async-unary")


def variants(ctx):
    """name -> server command; variants whose ingredients are missing are left out."""
    lesson = rust_server(ctx, "async-unary", "server")
    found = {"async-unary": lesson}
    if os.path.exists(JEMALLOC):  # Debian's libjemalloc2, pulled in by nghttp2-client
        found["async-unary + jemalloc"] = (lesson, {"LD_PRELOAD": JEMALLOC})
    if not ctx.settings.quick and os.path.exists(PLAIN_RELEASE):
        found["async-unary, plain release"] = lambda port: [
            PLAIN_RELEASE, "server", "--addr", f"127.0.0.1:{port}"]
    return found


def tuning(ctx):
    """Throughput (repeated) and instructions per request of every variant."""
    servers = variants(ctx)
    samples = repeated(ctx, servers, lambda server: {
        server.name: loads.h2load(ctx.settings, server)})
    for name, spec in {} if ctx.settings.quick else servers.items():  # quick: h2load only
        cmd, env = spec if isinstance(spec, tuple) else (spec, None)
        _, total = callgrind(ctx, "-".join(name.replace(",", "").split()), cmd, env)
        samples[f"{name} callgrind"] = [
            {"ir_per_request": round(total / ctx.settings.callgrind_requests)}]
    return samples
