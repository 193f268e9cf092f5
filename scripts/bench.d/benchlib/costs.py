"""Build times and the profile: what a learner waits for, and where a request's
instructions go (callgrind counts instructions, so the profile is repeatable even
on a noisy machine; `perf` has no hardware counters in many VMs)."""
import os
import re
import shutil
import subprocess
import tempfile
import time

from . import loads
from .config import ROOT
from .procs import Server
from .stages import rust_server
from .tools import log, run

LESSON_SOURCES = ["main.rs", "lib.rs"]
ANNOTATED = re.compile(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$")
# Frames every thread has (thread start, the runtime's task loop, panic guards):
# left out of the inclusive list, where they would only say "100 %".
PLUMBING = re.compile(r"^<?(std::|core::|alloc::|start_thread|__rust|clone|PROGRAM TOTALS|"
                      r"tokio::runtime::)")
CRATE = re.compile(r"^[<&\s]*(?:mut |dyn )?([A-Za-z_][A-Za-z0-9_]*)::")


def timed(cmd, cwd, env=None):
    """Wall-clock seconds of one command, and how many crates cargo compiled."""
    started = time.monotonic()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=True)
    compiled = sum(line.strip().startswith("Compiling ") for line in done.stderr.splitlines())
    return {"seconds": round(time.monotonic() - started, 1), "crates_compiled": compiled}


def build_times(ctx):
    """Cold `cargo build --workspace` in a fresh clone with its own target dir, and
    re-running one lesson after touching its main.rs or lib.rs (full mode). The smoke
    run only rebuilds one of the bench's own crates in place: it proves the stage
    works without touching a lesson others may be editing."""
    if ctx.settings.quick:
        return rebuilds(ROOT, None, "bench-roofline", "crates/bench/roofline", "build")
    results = {}
    scratch = tempfile.mkdtemp(prefix="bench-cold-build-")
    try:
        tree = os.path.join(scratch, "repo")
        run(["git", "clone", "-q", ROOT, tree])
        env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(scratch, "target"))
        if ctx.settings.cold_build:
            log("cold cargo build --workspace in a fresh clone (minutes on 2 cores)")
            results["cold cargo build --workspace"] = [
                timed(["cargo", "build", "--workspace"], tree, env)]
        results.update(rebuilds(tree, env, "async-unary", "crates/lessons/3-async/unary", "run"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def rebuilds(tree, env, package, folder, verb):
    """`cargo <verb> -p <package>` after touching each of its sources, as a learner
    edits and runs again. The first build after a workspace build may rebuild
    dependencies with the package's own features: not the edit-run loop, so untimed."""
    run(["cargo", "build", "--quiet", "-p", package], cwd=tree, env=env)
    results = {}
    for source in LESSON_SOURCES:
        os.utime(os.path.join(tree, folder, "src", source))
        results[f"`cargo {verb} -p {package}` after touching {source}"] = [
            timed(["cargo", verb, "-p", package], tree, env)]
    return results


def callgrind(ctx, name, cmd, env=None):
    """Runs the server `cmd` under callgrind while h2load sends N requests; returns
    the profile's path and its total instruction count."""
    out = os.path.join(ctx.settings.work_dir, f"{name}.callgrind.out")
    wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    with Server(name, cmd, ctx.settings.work_dir, wrapper=wrapper, start_timeout=120,
                env=env) as server:
        loads.h2load(ctx.settings, server, requests=ctx.settings.callgrind_requests)
    with open(out) as profile:
        totals = [line for line in profile if line.startswith(("totals:", "summary:"))]
    return out, int(totals[-1].split()[1])


def profile(ctx):
    """The async-unary server under callgrind while h2load sends N requests."""
    requests = ctx.settings.callgrind_requests
    out, total = callgrind(ctx, "callgrind", rust_server(ctx, "async-unary", "server"))
    flat = subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100", out],
                          capture_output=True, text=True, check=True).stdout
    inclusive = run(["callgrind_annotate", "--auto=no", "--inclusive=yes", out])
    functions = [(int(n.replace(",", "")), what) for n, _, what in annotated(flat)
                 if "PROGRAM TOTALS" not in what]
    compared = [] if ctx.settings.quick else [("sync-unary", "sync-unary", ["server"]),
                                              ("tonic-helloworld", "bench-tonic-helloworld", []),
                                              ("roofline", "bench-roofline", [])]
    others = {name: callgrind(ctx, name, rust_server(ctx, binary, *args))[1]
              for name, binary, args in compared}
    return {"profile": [{
        "ir_per_request_by_server": {name: round(n / requests) for name, n in others.items()},
        "requests": requests, "total_ir": total,
        "ir_per_request": round(total / requests),
        "by_crate": by_crate(functions, total),
        "self_top": [f"{n:>14,}  {short(what)}" for n, what in functions[:20]],
        "inclusive_top": [f"{n:>14}  {short(what)}" for n, _, what in annotated(inclusive)
                          if not PLUMBING.match(short(what))][:20],
    }]}


def annotated(text):
    """(count, percent, function) rows of callgrind_annotate output."""
    return [m.groups() for m in map(ANNOTATED.match, text.splitlines()) if m]


def short(what, width=150):
    """A function name without its object file, cut to `width` characters."""
    name = re.sub(r"\s*\[[^\]]*\]$", "", what)
    name = name.split(":", 1)[1] if re.match(r"^[^:<]*:[^:]", name) else name
    return name if len(name) <= width else name[: width - 1] + "…"


def by_crate(functions, total):
    """Self cost grouped by the crate a function belongs to (C library and
    allocator functions have no `::`, and go under `libc/alloc`)."""
    groups = {}
    for count, what in functions:
        match = CRATE.match(short(what, 10_000))
        crate = match[1] if match else "libc/alloc"
        if crate in ("core", "alloc", "std"):
            crate = "std/core/alloc"
        groups[crate] = groups.get(crate, 0) + count
    ranked = sorted(groups.items(), key=lambda kv: -kv[1])
    return [[crate, round(100 * n / total, 1)] for crate, n in ranked[:12]]
