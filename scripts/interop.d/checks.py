"""Comparing printed lines with what the tutorial's programs print.

Every check returns a list of problems; an empty list is a pass. A problem says
what was expected and what came.
"""
import difflib
import re

TIMESTAMP = re.compile(r"\b\d{2}:\d{2}:\d{2}\.\d{6}\b")
MASK = "HH:MM:SS.ffffff"
LONG = 160  # lines longer than this are shortened in diffs


def mask(line):
    return TIMESTAMP.sub(MASK, line)


def shorten(line):
    if len(line) <= LONG:
        return line
    return f"{line[:LONG]}... ({len(line)} chars, ends {line[-20:]!r})"


def exact(what, expected, actual):
    """The lines must be equal once timestamps are masked."""
    expected = [mask(line) for line in expected]
    masked = [mask(line) for line in actual]
    if masked == expected:
        return []
    diff = difflib.unified_diff(
        [shorten(line) for line in expected],
        [shorten(line) for line in masked],
        fromfile=f"{what} (expected)",
        tofile=f"{what} (actual)",
        lineterm="",
        n=2,
    )
    return [f"{what}: printed lines differ from the expected ones"] + ["    " + line for line in diff]


def seconds(stamp):
    """`04:31:16.502227` as seconds since midnight."""
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def since(origin, stamp):
    """Seconds from `origin` (seconds since midnight) to `stamp`, across midnight if need be."""
    return (seconds(stamp) - origin) % 86400


# --- The flow-control experiment (bidi) ------------------------------------

STAMP = re.compile(r"^(\d{2}:\d{2}:\d{2}\.\d{6})")
CLIENT_SENT = re.compile(r"^(\d{2}:\d{2}:\d{2}\.\d{6})   Request (\d+): Sent (\d+) char in total$")
CLIENT_RECEIVED = re.compile(r"^(\d{2}:\d{2}:\d{2}\.\d{6})   Received (\d+) responses$")
SERVER_RECEIVED = re.compile(r"^(\d{2}:\d{2}:\d{2}\.\d{6})   Request (\d+):   Received (\d+) char in total$")


def bidi_server_lines(requests, size, start_line=None):
    """What the tutorial's bidi server prints for one call (timestamps masked)."""
    lines = [start_line] if start_line is not None else []
    for i in range(5, requests + 1, 5):
        lines += [
            f"{MASK}   Request {i}:   Received {size * i} char in total",
            f"{MASK}   Request {i}:   Sent {5 * i} char in total",
            "",
        ]
    return lines


def bidi_client(actual, server_lines, requests, size, initial_delay, runs_ahead=None):
    """Checks the bidi client's lines; returns (problems, note about back-pressure).

    The interleaving of "Request i: Sent" and "Received i responses" lines
    depends on timing, so instead of one exact text this checks robust facts:
    every fifth request and response is logged once, in order, with the
    tutorial's numbers and blank lines; requests 5, 10 and 15 are logged before
    the server can have read anything (before its first "Received" line and
    before the first response arrived).
    """
    problems = []
    if not actual or actual[0] != "Will try to greet world ...":
        first = actual[0] if actual else "(nothing)"
        problems.append(f"client: first line: expected 'Will try to greet world ...', came {first!r}")
    sent, received, stray = [], [], []
    # Stamps are times of day: count from a minute before the first one, modulo a
    # day, so a run across midnight compares correctly.
    first = next((m[1] for m in map(STAMP.match, actual + list(server_lines)) if m), "00:00:00.0")
    origin = seconds(first) - 60
    for index, line in enumerate(actual[1:], start=1):
        if match := CLIENT_SENT.match(line):
            sent.append((int(match[2]), int(match[3]), since(origin, match[1]), index))
            if actual[index - 1] != "":
                problems.append(f"client: line {index}: expected a blank line before {mask(line)!r}")
        elif match := CLIENT_RECEIVED.match(line):
            received.append((int(match[2]), since(origin, match[1]), index))
            if index + 1 >= len(actual) or actual[index + 1] != "":
                problems.append(f"client: line {index}: expected a blank line after {mask(line)!r}")
        elif line != "":
            stray.append(line)
    steps = list(range(5, requests + 1, 5))
    want_sent = [(i, size * i) for i in steps]
    got_sent = [(i, chars) for i, chars, _, _ in sent]
    if got_sent != want_sent:
        problems.append(f"client: 'Request i: Sent n char in total' lines: expected {want_sent}, came {got_sent}")
    got_received = [i for i, _, _ in received]
    if got_received != steps:
        problems.append(f"client: 'Received i responses' lines: expected {steps}, came {got_received}")
    blanks = sum(1 for line in actual[1:] if line == "")
    if blanks != 2 * len(steps):
        problems.append(f"client: expected {2 * len(steps)} blank lines (one per logged event), came {blanks}")
    for line in stray:
        problems.append(f"client: unexpected line {shorten(mask(line))!r}")
    if problems:
        return problems, None

    # Requests 5, 10, 15 (60 000 characters, inside the 64 KiB window) go out at once.
    early = [entry for entry in sent if entry[0] <= 15]
    first_response_index = received[0][2]
    for i, _, _, index in early:
        if index > first_response_index:
            problems.append(f"client: 'Request {i}: Sent' came after 'Received 5 responses'; "
                            "expected it before the first response")
    server_reads = [since(origin, m[1]) for m in map(SERVER_RECEIVED.match, server_lines) if m]
    if server_reads and early:
        last_early = early[-1][2]
        if last_early > server_reads[0]:
            problems.append(
                f"client: 'Request {early[-1][0]}: Sent' at {last_early:.6f} s came after the server's "
                f"first 'Received' line at {server_reads[0]:.6f} s; expected before (the server "
                "reads only after its initial delay)")
    held, note = backpressure(sent, initial_delay)
    if not held and not runs_ahead:
        problems.append(f"client: {note}")
    elif not held:
        note += f" (expected of this client: {runs_ahead})"
    return problems, note


def backpressure(sent, initial_delay):
    """(held back?, note): how long request 20 waited after request 15, the window
    filling up or not."""
    at = {i: ts for i, _, ts, _ in sent}
    if 15 not in at or 20 not in at:
        return False, "no request 15 or 20 logged"
    waited = at[20] - at[15]
    held = waited >= 0.8 * initial_delay
    verdict = ("held back until the server read, as in the tutorial" if held
               else "not held back: more than the tutorial's 64 KiB went out before the server read")
    return held, (f"request 20 was logged {waited * 1000:.0f} ms after request 15 "
                  f"(server's initial delay {initial_delay * 1000:.0f} ms): {verdict}")


# --- The async chat (bidi on grpc.aio / tokio) ------------------------------

def chat_client(actual, name, count):
    """Every message sent and answered once, in order, each answer after its message.

    How sends and answers interleave beyond that depends on timing, so only
    these facts are checked.
    """
    sent = [f"Client sent: {name} #{i}" for i in range(1, count + 1)]
    answers = [f"Greeter client received: Hello, {name} #{i}!" for i in range(1, count + 1)]
    problems = []
    if sorted(actual) != sorted(sent + answers):
        problems += exact("client (lines in any order)", sorted(sent + answers), sorted(actual))
        return problems
    if [line for line in actual if line in sent] != sent:
        problems.append(f"client: expected the 'Client sent' lines in order {sent}")
    if [line for line in actual if line in answers] != answers:
        problems.append(f"client: expected the answers in order {answers}")
    for message, answer in zip(sent, answers):
        if actual.index(answer) < actual.index(message):
            problems.append(f"client: {answer!r} came before {message!r}")
    return problems
