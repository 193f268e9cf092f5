"""The other two reference implementations: grpc-go and gRPC C++ (scripts/peers/).

Their clients run against every tutorial lesson server, and the lessons' Rust
clients against their servers, with the Python cases' checks. The programs are
built by scripts/peers/build into target/peers/{go,cpp}/.
"""
import subprocess

import checks
import environment as env
import tables
from cases import (ASYNC_SERVER_STREAMING, ASYNC_UNARY, ONE_MIB, SYNC_BIDI, SYNC_SERVER_STREAMING,
                   SYNC_UNARY, Case, unary_lines)

PEERS = {"go": "grpc-go", "cpp": "gRPC C++"}
BUILD = env.REPO / "scripts" / "peers" / "build"
OUT = env.REPO / "target" / "peers"
SKIPPED = 3  # scripts/peers/build's exit code when Debian packages are missing


def client_direction(peer):
    return f"{peer}-client→rust-server"


def server_direction(peer):
    return f"rust-client→{peer}-server"


DIRECTIONS = tuple(d for peer in PEERS for d in (client_direction(peer), server_direction(peer)))

# The peer program playing the other side of each lesson, by proto version.
PROGRAMS = {"v1": "unary", "v2": "server_streaming", "v3": "bidi"}
# The async-unary lesson meets C++'s callback server, the counterpart of grpc.aio.
ASYNC_SERVERS = {("cpp", "async-unary"): "unary_callback_server"}


def build():
    """Runs scripts/peers/build; returns (status, text): status "ok", "SKIP" or "FAIL"."""
    env.log(f"$ {env.rel(BUILD)}")
    result = subprocess.run([str(BUILD)], cwd=env.REPO, capture_output=True, text=True)
    text = (result.stdout + result.stderr).strip()
    for line in text.splitlines():
        env.log(line.removeprefix("[peers] "))
    if result.returncode == 0:
        return "ok", text
    if result.returncode == SKIPPED:
        return "SKIP", text.splitlines()[-1] if text else "scripts/peers/build skipped"
    return "FAIL", f"scripts/peers/build failed (exit code {result.returncode}):\n{text[-2000:]}"


def built():
    """With --no-build: ("ok", None) when every peer program is in target/peers, else a SKIP."""
    missing = [f"{peer}/{PROGRAMS[v]}_{side}" for peer in PEERS for v in PROGRAMS for side in ("server", "client")
               if not (OUT / peer / f"{PROGRAMS[v]}_{side}").exists()]
    if missing:
        return "SKIP", f"target/peers/{missing[0]} is missing (run scripts/peers/build)"
    return "ok", None


def program(case, side):
    """Path of the peer binary playing `side` ("server" or "client") in this case."""
    name = ASYNC_SERVERS.get((case.peer, case.lesson.crate)) if side == "server" else None
    name = name or f"{PROGRAMS[case.lesson.proto]}_{side}"
    return OUT / case.peer / name


def peer_server_argv(case, port):
    return [str(program(case, "server")), "--host", "127.0.0.1", "--port", str(port)] + case.py_server


def peer_client_argv(case, port):
    return [str(program(case, "client")), "--target", f"127.0.0.1:{port}"] + case.py_client


def all_cases(settings):
    """The peer cases: each peer's client against the lesson, the lesson's client against each peer."""
    timing_py = ["--initial-delay", str(settings.initial_delay), "--work-delay", str(settings.work_delay)]
    timing_rust = ["--initial-delay", f"{round(settings.initial_delay * 1000)}ms",
                   "--work-delay", f"{round(settings.work_delay * 1000)}ms"]
    bidi = lambda client, server: checks.bidi_client(client, server, 25, 4000, settings.initial_delay)  # noqa: E731
    # grpc-go's Send returns once a message is in the stream's own 64 KiB write quota,
    # on top of the server's 64 KiB window: request 20 (80 KB) is logged before the
    # server reads. The window still holds the bytes back; the log line runs ahead.
    go_bidi = lambda client, server: checks.bidi_client(  # noqa: E731
        client, server, 25, 4000, settings.initial_delay,
        runs_ahead="grpc-go's Send returns into its 64 KiB per-stream write quota")
    greetings = lambda name, n: [f"Greeter client received: Hello number {i}, {name}!" for i in range(n)]  # noqa: E731
    will = ["Will try to greet world ..."]
    cases = []
    for peer in PEERS:
        to_rust, from_rust = client_direction(peer), server_direction(peer)

        def both(lesson, variant, peer_lines, rust_lines, **flags):
            """The two directions; peer_lines and rust_lines are what each client must print.
            The peer programs take the Python programs' flags (py_server, py_client)."""
            return [Case(lesson, variant, to_rust, peer=peer, expect_client=peer_lines, **flags),
                    Case(lesson, variant, from_rust, peer=peer, expect_client=rust_lines, **flags)]

        cases += both(SYNC_UNARY, "Jack", unary_lines("Jack"), unary_lines("Jack"))
        cases += both(SYNC_UNARY, "世界", unary_lines("世界"), unary_lines("世界"),
                      py_client=["--name", "世界"], rust_client=["--name", "世界"])
        cases += both(SYNC_UNARY, "1 MiB name", unary_lines("x" * ONE_MIB), unary_lines("x" * ONE_MIB),
                      py_client=["--name-file", settings.name_file],
                      rust_client=["--name-file", settings.name_file])
        cases += both(SYNC_SERVER_STREAMING, "Jack", will + greetings("Jack", 5), will + greetings("Jack", 5))
        for direction, server_flags in ((to_rust, {"rust_server": timing_rust}), (from_rust, {"py_server": timing_py})):
            check = bidi
            if peer == "go" and direction == to_rust:
                check = go_bidi
            cases.append(Case(SYNC_BIDI, "flow control, 25 × 4000 chars", direction, peer=peer,
                              check=check, **server_flags))
        # The async lessons' clients print only the greetings; the peers' clients print the sync lines.
        cases += both(ASYNC_UNARY, "jack", unary_lines("jack"), ["Greeter client received: Hello, jack!"],
                      py_client=["--name", "jack"])
        cases += both(ASYNC_SERVER_STREAMING, "jack", will + greetings("jack", 3), greetings("jack", 5),
                      py_client=["--name", "jack"])
    return cases


def expected_server(case, port):
    """What a peer server prints: the start-up line, then the bidi server's log."""
    start = f"Server started, listening on {port}"
    if case.lesson is SYNC_BIDI:
        return checks.bidi_server_lines(25, 4000, start)
    return [start]


# --- The compatibility table in docs/src/interop.md -------------------------

DOCS = env.REPO / "docs" / "src" / "interop.md"
BEGIN, END = "<!-- peers-table: begin (scripts/interop --update-docs) -->", "<!-- peers-table: end -->"


def docs_table(results):
    """The table the book shows: one row per case, one column per peer and direction."""
    return tables.status_table(results, DIRECTIONS)


def write_docs_table(results):
    text = DOCS.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOCS.write_text(text[:start] + "\n\n" + docs_table(results) + "\n" + text[end:], encoding="utf-8")
    env.log(f"wrote the peers' table into {env.rel(DOCS)}")


def check_docs_table(results):
    """A problem text when the book's table differs from this run's, else None."""
    text = DOCS.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return f"{env.rel(DOCS)} has no peers' table (markers {BEGIN!r} … {END!r})"
    shown = text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip()
    if shown != docs_table(results).strip():
        return (f"the peers' table in {env.rel(DOCS)} differs from this run's results; "
                "check the run, then `scripts/interop --update-docs`")
    return None
