"""The command line of scripts/bench: set up, run the stages, report.

Each stage passes or fails on its own, so a smoke run (`--quick`) shows every
broken stage at once and ends with `N passed, N failed`."""
import argparse
import datetime
import json
import os
import subprocess
import sys
import time
import traceback
from types import SimpleNamespace

from . import costs, curves, experiments, report, stages, steps, tools
from .config import ROOT, settings_for
from .procs import PINNED

STAGES = {
    "unary": stages.unary,
    "validation": stages.validation,
    "streaming": stages.streaming,
    "pingpong": stages.pingpong,
    "profile": costs.profile,
    "tuning": experiments.tuning,
    "steps": steps.steps,
    "curves": curves.curves,
    "build": costs.build_times,  # last: the cold build keeps both cores busy for minutes
}


def parse(argv):
    """The command line; --quick is the CI smoke run."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: debug builds, 1 repetition of ~1 s per case")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (full mode)")
    parser.add_argument("--seconds", type=float, default=6.0, help="measured seconds per case")
    parser.add_argument("--skip-cold-build", action="store_true",
                        help="don't time a cold `cargo build --workspace` (takes minutes)")
    parser.add_argument("--only", type=lambda s: s.split(","), default=[],
                        help=f"comma-separated stages to re-run, keeping the others' "
                             f"previous results: {','.join(STAGES)}")
    parser.add_argument("--no-build", action="store_true",
                        help="use the binaries already in target/ (no cargo build)")
    parser.add_argument("--out", help="results folder (default docs/src/benchmarks)")
    return parser.parse_args(argv)


def setup(settings, build):
    """Tools, venv, stubs and binaries; raises tools.Missing with what to install."""
    tools.ensure_h2load()
    python = tools.venv_python()
    stubs = tools.python_stubs(python, settings.work_dir)
    if build:
        tools.cargo_build(settings.profile)
    peers_missing = tools.build_peers() if build else tools.peers_absent()
    if peers_missing:
        tools.log(f"NO PEERS: the grpc-go and gRPC C++ rows are left out: {peers_missing}")
    return SimpleNamespace(settings=settings, python=python, stubs=stubs, peers=not peers_missing)


def fresh_results(settings, argv):
    """An empty result set with what was run, where, and under which load."""
    s = settings
    pinning = "server on CPU 0, load generator on CPU 1 (taskset)" if PINNED else "no pinning (1 CPU)"
    return {"meta": {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["scripts/bench", *argv]),
        "reps": s.reps,
        "load": (f"h2load -c {s.connections} -m {s.streams_per_conn} -t 1, {s.seconds:g} s measured "
                 f"after {s.warmup:g} s warm-up; {pinning}; load average "
                 f"{os.getloadavg()[0]:.1f} at start"),
        "machine": tools.machine(),
    }, "stages": {}}


def previous_results(settings):
    """The results an --only run updates (None before the first run)."""
    path = os.path.join(settings.out_dir, "results.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return None


def run_stage(name, ctx, results, outcome):
    """Runs one stage; a failure is recorded and the run goes on."""
    tools.log(f"stage {name}")
    started = time.monotonic()
    try:
        results["stages"][name] = STAGES[name](ctx)
        outcome["passed"].append(name)
        tools.log(f"stage {name} done in {time.monotonic() - started:.0f} s")
    except Exception:  # a failed stage must not hide the others' results
        outcome["failed"].append(name)
        tools.log(f"stage {name} FAILED:\n{traceback.format_exc()}")


def publish(ctx, results, outcome):
    """Plots (with the venv's matplotlib), then the tables; prints the tables."""
    out_dir = ctx.settings.out_dir
    os.makedirs(out_dir, exist_ok=True)
    report.write(results, out_dir, "")
    plots = subprocess.run([ctx.python, os.path.join(ROOT, "scripts", "bench.d", "plots.py"),
                            os.path.join(out_dir, "results.json"), out_dir],
                           capture_output=True, text=True, check=True)
    results["meta"]["plots"] = plots.stdout.split()
    docs = os.path.join(ROOT, "docs", "src")
    inside_docs = os.path.abspath(out_dir).startswith(docs + os.sep)
    prefix = os.path.relpath(out_dir, docs) + "/" if inside_docs else ""
    print(report.write(results, out_dir, prefix))
    outcome["passed"].append("report")


def main(argv):
    """Setup, every selected stage, the report; the exit status says whether all passed."""
    args = parse(argv)
    settings = settings_for(args)
    outcome = {"passed": [], "failed": []}
    try:
        ctx = setup(settings, build=not args.no_build)
    except (tools.Missing, RuntimeError) as error:
        print(f"bench: setup failed: {error}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    results = fresh_results(settings, argv)
    kept = previous_results(settings) if args.only else None
    if kept:
        rerun = dict(results["meta"], stages=[name for name in STAGES if name in args.only])
        kept["meta"]["partial_reruns"] = kept["meta"].get("partial_reruns", []) + [rerun]
        results = kept
    for name in STAGES:
        if not args.only or name in args.only:
            run_stage(name, ctx, results, outcome)
    try:
        publish(ctx, results, outcome)
    except Exception:
        outcome["failed"].append("report")
        tools.log(f"report FAILED:\n{traceback.format_exc()}")
    print(f"{len(outcome['passed'])} passed, {len(outcome['failed'])} failed"
          + (f" ({', '.join(outcome['failed'])})" if outcome["failed"] else ""))
    return 1 if outcome["failed"] else 0
