"""The interop suite's main: set up, run every case, report.

See docs/src/interop.md for what it checks and why.
"""
import argparse
import signal
import subprocess
import sys
import time

import cases
import environment as env
import grpc_testing
import peers
import procs
import run as runner
from tables import status_table

PYTHON_311_NOTE = (
    "the tutorial's bidi programs nest double quotes inside double-quoted f-strings "
    '(f"{datetime.datetime.now().strftime("%T.%f")}"), which parses only on Python 3.12+ '
    "(PEP 701); the copies here use single quotes inside, print the same, and run on 3.11"
)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="scripts/interop",
        description="Runs the tutorial's Python gRPC programs (grpcio) against the Rust lessons, "
        "both ways, and compares what they print with what the tutorial shows.",
    )
    parser.add_argument("--only", action="append", default=[], metavar="LESSON",
                        help="run only this lesson; a prefix selects several: sync, async, 'auth tls'; "
                        "grpc.testing: grpc's interop contract matrix (repeatable)")
    parser.add_argument("--python-only", action="store_true",
                        help="play the Rust side with the Python programs too: checks the expectations "
                        "against grpcio itself")
    parser.add_argument("--tutorial-timing", action="store_true",
                        help="run the flow-control case with the tutorial's 5 s / 1 s delays "
                        "(default: scaled down to 0.3 s / 0.02 s)")
    parser.add_argument("--no-build", action="store_true",
                        help="use the lesson and peer binaries already in target/")
    parser.add_argument("--no-peers", action="store_true",
                        help="leave out the grpc-go and gRPC C++ cases (scripts/peers)")
    parser.add_argument("--update-docs", action="store_true",
                        help="write the peers' compatibility table of this run into docs/src/interop.md")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    try:
        return run(args, started)
    except KeyboardInterrupt:
        print("[interop] interrupted", file=sys.stderr)
        return 130
    finally:
        procs.stop_all()


def run(args, started):
    delays = (5.0, 1.0) if args.tutorial_timing else (0.3, 0.02)
    env.ensure_venv()
    env.compile_protos()
    name_file = env.WORK / "name-1mib.txt"
    name_file.write_text("x" * cases.ONE_MIB, encoding="utf-8")
    certs = env.WORK / "certs"
    settings = cases.Settings(args.python_only, *delays, str(name_file), str(certs))

    peer_cases = [] if args.no_peers or args.python_only else peers.all_cases(settings)
    selected = [c for c in cases.all_cases(settings) + peer_cases
                if not args.only or any(c.lesson.crate == part or c.row.startswith(part) for part in args.only)]
    wanted = sorted({c.lesson.crate for c in selected})
    present = env.present_lessons(wanted)
    # With --python-only, Rust is needed only for `auth gen-certs`.
    needed = [name for name in present if name == "auth" or not args.python_only]
    broken = {} if args.no_build else env.build_lessons(needed)
    helps = {name: cli_help(name) for name in needed if name not in broken}
    if "auth" in helps:
        problem = env.generate_certs(certs)
        if problem:
            broken["auth"] = problem

    peer_build = ("ok", None)
    if any(case.peer for case in selected):
        peer_build = peers.build() if not args.no_build else peers.built()

    results = []
    for case in selected:
        label = f"{case.row}, {case.direction}"
        reason = skip_reason(case, settings)
        broken_cli = cli_problem(case, settings, present, helps)
        if reason:
            outcome = cases.Outcome("SKIP", [reason])
        elif broken_cli:
            outcome = cases.Outcome("FAIL", [broken_cli])
        elif case.peer and peer_build[0] != "ok":
            outcome = cases.Outcome(peer_build[0], [peer_build[1]])
        elif case.lesson.crate in broken:
            outcome = cases.Outcome("FAIL", [broken[case.lesson.crate]])
        else:
            outcome = runner.run_case(case, settings)
        env.log(f"{outcome.status}  {label}")
        results.append((case, outcome))
    report(results, time.monotonic() - started, settings)
    failed = any(o.status == "FAIL" for _, o in results)
    if run_grpc_testing(args):
        failed = grpc_testing_group(args) or failed
    skipped = [c for c, o in results if o.status == "SKIP"]
    if skipped and env.in_ci():
        print(f"FAIL: {len(skipped)} case(s) skipped under CI, where every case must run")
        failed = True
    peer_results = [(c, o) for c, o in results if c.peer]
    if args.update_docs and peer_results:  # --only grpc.testing runs no peer greeter
        peers.write_docs_table(peer_results)
    elif peer_results and not args.only and peer_build[0] == "ok":  # a skipped build is reported above
        problem = peers.check_docs_table(peer_results)
        if problem:
            print(f"FAIL: {problem}")
            failed = True
    return 1 if failed else 0


def run_grpc_testing(args):
    """The grpc.testing group runs in a full run, or with --only grpc.testing."""
    if args.python_only:
        return False
    return not args.only or "grpc.testing" in args.only


def grpc_testing_group(args):
    """Runs grpc's interop contract matrix, prints it; True when it failed."""
    rows = grpc_testing.run_matrix()
    print("grpc.testing: grpc's interop cases, client -> server (scripts/interop.d/grpc_testing.py)")
    print()
    print(grpc_testing.matrix_table(rows))
    failed = False
    for client, server, transport, case, status, detail in rows:
        if status == "FAIL":
            print(f"--- FAIL: grpc.testing {case}, {client} client -> {server} server, {transport}: {detail}")
            failed = True
        elif status == "LIMIT":
            print(f"limit: grpc.testing {case}, {client} client -> {server} server, {transport}: {detail}")
    counts = {s: sum(1 for r in rows if r[4] == s) for s in ("PASS", "FAIL", "LIMIT")}
    print(f"grpc.testing: {counts['PASS']} passed, {counts['FAIL']} failed, {counts['LIMIT']} known limits")
    if args.update_docs:
        grpc_testing.write_docs_table(rows)
    elif not failed:
        problem = grpc_testing.check_docs_table(rows)
        if problem:
            print(f"FAIL: {problem}")
            failed = True
    return failed


def cli_help(lesson):
    """The `server --help` and `client --help` texts of a lesson binary (per auth mode)."""
    texts = {}
    for mode in ("tls", "mtls", "token", "combined", "custom") if lesson == "auth" else (None,):
        for side in ("server", "client"):
            argv = [str(env.binary(lesson))] + ([mode] if mode else []) + [side, "--help"]
            result = subprocess.run(argv, capture_output=True, text=True)
            texts[(mode, side)] = result.stdout + result.stderr
    return texts


def skip_reason(case, settings):
    """Why the run was asked to leave `case` out (--python-only), or None."""
    if settings.python_only and case.rust_only:
        return f"not with --python-only: {case.rust_only}"
    return None


def cli_problem(case, settings, present, helps):
    """A lesson crate or flag the case needs that is gone: a failure, never a skip,
    so a renamed crate or a lost flag cannot quietly shrink the run."""
    crate = case.lesson.crate
    if crate not in present and (crate == "auth" or not settings.python_only):
        return f"the {crate} crate is not in this checkout (renamed? update scripts/interop.d/cases.py)"
    if settings.python_only or crate not in helps:
        return None
    rust_serves = case.direction in (cases.PY_TO_RUST, peers.client_direction(case.peer))
    side, flags = ("server", case.rust_server) if rust_serves else ("client", case.rust_client)
    command = " ".join(filter(None, [crate, case.lesson.mode, side]))
    for flag in flags:
        if flag.startswith("--") and flag not in helps[crate][(case.lesson.mode, side)]:
            return f"`{command}` has no {flag} flag (see `{command} --help`)"
    return None


def report(results, elapsed, settings):
    print()
    for case, outcome in results:
        if outcome.status == "FAIL" or len(outcome.problems) > 1:
            print(f"--- {outcome.status}: {case.row}, {case.direction}")
            for line in outcome.problems:
                print("  " + line)
            print()

    python_results = [(c, o) for c, o in results if not c.peer]
    peer_results = [(c, o) for c, o in results if c.peer]
    if python_results:
        print("Interop report: Python programs (grpcio) in the tutorial's roles against the Rust lessons"
              + (" [--python-only: Python on both sides]" if settings.python_only else ""))
        print()
        print(status_table(python_results, cases.DIRECTIONS))
    if peer_results:
        print("Peers: grpc-go and gRPC C++ (scripts/peers) against the Rust lessons")
        print()
        print(status_table(peer_results, peers.DIRECTIONS))

    notes = [(c, o) for c, o in results if o.status == "SKIP" or o.note]
    for case, outcome in notes:
        text = outcome.problems[0] if outcome.status == "SKIP" else outcome.note
        print(f"{outcome.status if outcome.status == 'SKIP' else 'note'}: {case.row}, {case.direction}: {text}")
    print(f"note: {PYTHON_311_NOTE}")
    python = subprocess.run([str(env.venv_python()), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"note: {python} with {', '.join(env.pins())}; flow control timed at "
          f"{settings.initial_delay} s initial delay, {settings.work_delay} s work; took {elapsed:.0f} s")
    print()
    counts = {status: sum(1 for _, o in results if o.status == status) for status in ("PASS", "FAIL", "SKIP")}
    line = f"{counts['PASS']} passed, {counts['FAIL']} failed"
    if counts["SKIP"]:
        line += f", {counts['SKIP']} skipped"
    print(line)
