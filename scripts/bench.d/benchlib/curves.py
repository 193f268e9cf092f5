"""Cost as the work grows: how req/s and p99 move with calls in flight on one
connection and with connections, what one idle connection and one waiting call
cost in memory, and how MB/s moves with message size; for Rust, grpc-go, gRPC C++
(callback API) and Python aio, same pinning as every stage.

Memory is read from the server's VmRSS before and after opening many idle
connections or waiting calls, with a small raw HTTP/2 client (below): neither
h2load nor bench-client can hold connections or calls open and say when the
server has taken them all. Each wait ends on a frame the server sends, never on a
timer: its SETTINGS ACK (connection set up), its reply on every bidi stream (the
handler is running and waiting for the next message), or the line the lesson
prints once N unary calls are in progress (`--report-memory-at`)."""
import dataclasses
import os
import re
import select
import socket
import struct
import time

from . import loads
from .config import UNARY_PATH, stream_count
from .stages import repeated, rust_server, stream_servers, unary_servers
from .stats import count, mb, ms, ratio, spread, table

IN_FLIGHT, IN_FLIGHT_QUICK = [1, 10, 100, 1000], [1, 100]
CONNECTIONS, CONNECTIONS_QUICK = [1, 16, 64, 256], [1, 16]
SIZES, SIZES_QUICK = [16, 1024, 64 << 10, 1 << 20, 4 << 20], [16, 64 << 10, 4 << 20]
IDLE_CONNECTIONS, IDLE_CONNECTIONS_QUICK = 1000, 100
WAITING_CALLS, WAITING_CALLS_QUICK = 1000, 100
# The four implementations, in table order, and which server of each stage stands for it.
NAMES = ["rust", "go", "cpp", "python-aio"]
TITLES = {"rust": "Rust", "go": "Go", "cpp": "C++", "python-aio": "Python aio"}
UNARY_SERVER = {"rust": "async-unary", "go": "go", "cpp": "cpp-callback", "python-aio": "python-aio"}
STREAM_SERVER = {"rust": "rust", "go": "go", "cpp": "cpp", "python-aio": "python-aio"}
BIDI_PATH = "/tutorial.helloworld.v3.GreeterService/SayHello"


def point_settings(settings):
    """Many short points: 0.3 s each in quick mode, 2 s after 0.5 s warm-up in full."""
    if settings.quick:
        return dataclasses.replace(settings, seconds=0.3, warmup=0.1)
    return dataclasses.replace(settings, seconds=2.0, warmup=0.5)


def chosen(servers, which):
    """`servers` renamed to the four implementations' names (the peers only when built)."""
    return {f"curves-{name}": servers[server] for name, server in which.items() if server in servers}


def implementation(server):
    return server.name.removeprefix("curves-")


def curves(ctx):
    """The stage: unary curves and idle connections on the unary servers, message
    sizes and waiting streams on the stream servers, waiting unary calls on the
    lesson with a work delay."""
    quick = ctx.settings.quick
    s = point_settings(ctx.settings)
    in_flight, conns = (IN_FLIGHT_QUICK, CONNECTIONS_QUICK) if quick else (IN_FLIGHT, CONNECTIONS)
    sizes = SIZES_QUICK if quick else SIZES
    idle = IDLE_CONNECTIONS_QUICK if quick else IDLE_CONNECTIONS
    waiting = WAITING_CALLS_QUICK if quick else WAITING_CALLS

    def unary(server):
        name = implementation(server)
        loads.check(ctx.settings, server)
        # Memory first, on a server that has served one call and no load (the load's
        # buffers, freed or not, would move the baseline).
        cases = {f"idle-connection {name}": idle_connections(server, idle)}
        for m in in_flight:
            cases[f"in-flight {m} {name}"] = loads.h2load(
                dataclasses.replace(s, connections=1, streams_per_conn=m), server)
        for c in conns:
            cases[f"connections {c} {name}"] = loads.h2load(
                dataclasses.replace(s, connections=c, streams_per_conn=1), server)
        return cases

    def streams(server):
        name = implementation(server)
        cases = {f"waiting-stream {name}": waiting_streams(server, waiting)}  # first, as above
        for size in sizes:
            flags = ["--size", str(size), "--count", str(stream_count(size)),
                     "--connections", str(s.stream_connections)]
            cases[f"size {size} {name}"] = loads.bench_client(s, server, "stream", *flags)
        return cases

    def delayed(server):
        return {f"waiting-call {implementation(server)}": waiting_unary_calls(server, waiting)}

    samples = repeated(ctx, chosen(unary_servers(ctx), UNARY_SERVER), unary)
    samples.update(repeated(ctx, chosen(stream_servers(ctx), STREAM_SERVER), streams))
    # Only the lesson has a work delay; the peers' servers answer at once.
    slow = rust_server(ctx, "async-unary", "server", "--work-delay", "600s",
                       "--report-memory-at", str(waiting))
    samples.update(repeated(ctx, {"curves-rust": slow}, delayed))
    return samples


# --- a raw HTTP/2 client, just enough to hold connections and calls open -----

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY = 0, 1, 3, 4, 6, 7
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4
MAX_CONCURRENT_STREAMS = 0x3
TIMEOUT = 30.0


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def hpack_int(value, prefix_bits):
    """HPACK's prefixed integer (RFC 7541 5.1), first byte's flags zero."""
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([value])
    out, value = bytearray([limit]), value - limit
    while value >= 128:
        out.append(value % 128 + 128)
        value //= 128
    return bytes(out + bytes([value]))


def hpack(headers):
    """Literal fields without indexing, no Huffman: valid for any decoder."""
    out = b""
    for name, value in headers:
        out += b"\0" + hpack_int(len(name), 7) + name.encode() + hpack_int(len(value), 7) + value.encode()
    return out


def grpc_request(path, port):
    """HEADERS of a gRPC call on `path`."""
    return hpack([(":method", "POST"), (":scheme", "http"), (":path", path),
                  (":authority", f"127.0.0.1:{port}"), ("content-type", "application/grpc"),
                  ("te", "trailers")])


def say_hello_message(name="Jack"):
    """One length-prefixed `SayHelloRequest{name}` (the same bytes in v1 and v3)."""
    proto = bytes([0x0A, len(name)]) + name.encode()
    return b"\0" + len(proto).to_bytes(4, "big") + proto


class Connection:
    """One HTTP/2 connection; `read_until` answers PINGs and SETTINGS as it reads."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.port, self.buffer, self.server_settings = port, b"", {}
        self.settings_seen = self.acked = False
        self.sock.sendall(PREFACE + frame(SETTINGS, 0, 0))

    def frames(self):
        """Frames complete in the buffer, removed from it."""
        while len(self.buffer) >= 9:
            length = int.from_bytes(self.buffer[:3], "big")
            if len(self.buffer) < 9 + length:
                return
            kind, flags = self.buffer[3], self.buffer[4]
            stream = int.from_bytes(self.buffer[5:9], "big") & 0x7FFFFFFF
            payload, self.buffer = self.buffer[9:9 + length], self.buffer[9 + length:]
            yield kind, flags, stream, payload

    def read_until(self, done, on_frame=lambda *frame: None):
        """Reads and handles frames until `done()`; fails on GOAWAY, RST_STREAM or a timeout."""
        deadline = time.monotonic() + TIMEOUT
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError(f"127.0.0.1:{self.port}: no answer in {TIMEOUT:g} s")
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError(f"127.0.0.1:{self.port} closed the connection")
            self.buffer += chunk
            for kind, flags, stream, payload in self.frames():
                if kind == SETTINGS and flags & ACK:
                    self.acked = True
                elif kind == SETTINGS:
                    for i in range(0, len(payload), 6):
                        key, value = struct.unpack(">HI", payload[i:i + 6])
                        self.server_settings[key] = value
                    self.settings_seen = True
                    self.sock.sendall(frame(SETTINGS, ACK, 0))
                elif kind == PING and not flags & ACK:
                    self.sock.sendall(frame(PING, ACK, 0, payload))
                elif kind in (GOAWAY, RST_STREAM):
                    raise RuntimeError(f"127.0.0.1:{self.port} sent {'GOAWAY' if kind == GOAWAY else 'RST_STREAM'}"
                                       f" on stream {stream}: {payload.hex()}")
                on_frame(kind, flags, stream, payload)

    def handshake(self):
        """Until the server has sent its SETTINGS and acknowledged ours."""
        self.read_until(lambda: self.settings_seen and self.acked)
        return self

    def stream_limit(self):
        """The server's SETTINGS_MAX_CONCURRENT_STREAMS (None: no limit)."""
        return self.server_settings.get(MAX_CONCURRENT_STREAMS)

    def close(self):
        self.sock.close()


def rss_bytes(server):
    return server.status_kib("VmRSS") * 1024


def idle_connections(server, n):
    """RSS per HTTP/2 connection that has done its handshake and nothing else."""
    before = rss_bytes(server)
    opened = []
    try:
        for _ in range(n):  # all connect and send their preface first, then all are read
            opened.append(Connection(server.port))
        for conn in opened:
            conn.handshake()
        after = rss_bytes(server)
        limit = opened[0].stream_limit()
    finally:
        for conn in opened:
            conn.close()
    result = {"connections": n, "rss_per_connection_bytes": (after - before) / n}
    if limit is not None:
        result["max_concurrent_streams"] = limit
    return result


def waiting_streams(server, n):
    """RSS per bidi (v3) call that has had its first answer and waits for the next
    message, all on one connection (fewer when the server allows fewer streams).
    One call is answered before the baseline, so one-off set-up is not counted."""
    conn = Connection(server.port).handshake()
    try:
        n = min(n, (conn.stream_limit() or n + 1) - 1)
        answered = set()

        def on_frame(kind, flags, stream, payload):
            if kind == DATA and payload:
                answered.add(stream)
        request = grpc_request(BIDI_PATH, server.port)

        def open_calls(ids):
            conn.sock.sendall(b"".join(frame(HEADERS, END_HEADERS, i, request)
                                       + frame(DATA, 0, i, say_hello_message()) for i in ids))
            conn.read_until(lambda: answered.issuperset(ids), on_frame)

        open_calls(range(1, 2, 2))
        before = rss_bytes(server)
        open_calls(range(3, 2 * n + 3, 2))
        after = rss_bytes(server)
    finally:
        conn.close()
    return {"calls": n, "rss_per_call_bytes": (after - before) / n}


def waiting_unary_calls(server, n):
    """RSS per unary call asleep in its handler (`--work-delay`), all on one
    connection; the lesson prints its own heap count per waiting call once n are in
    progress, which is also the signal that they all are."""
    conn = Connection(server.port).handshake()
    try:
        before = rss_bytes(server)
        request = grpc_request(UNARY_PATH, server.port)
        conn.sock.sendall(b"".join(frame(HEADERS, END_HEADERS, i, request)
                                   + frame(DATA, END_STREAM, i, say_hello_message())
                                   for i in range(1, 2 * n, 2)))
        line = wait_for_line(server.log_path, r"(\d+) bytes per waiting call")
        after = rss_bytes(server)
    finally:
        conn.close()
    return {"calls": n, "rss_per_call_bytes": (after - before) / n, "heap_per_call_bytes": int(line[1])}


def wait_for_line(path, pattern):
    """The first match of `pattern` in the server's log, once the server writes it."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        with open(path) as log:
            found = re.search(pattern, log.read())
        if found:
            return found
        select.select([], [], [], 0.05)
    raise RuntimeError(f"{path}: no line matching {pattern!r} in {TIMEOUT:g} s")


# --- the report's section --------------------------------------------------

def size_label(size):
    return f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB" if size >= 1024 else f"{size} B"


def kib(b):
    return f"{b / 1024:.1f}"


def points(runs, kind):
    """The x values measured for `kind` (`in-flight`, `connections`, `size`)."""
    return sorted({int(k.split()[1]) for k in runs if k.startswith(kind + " ")})


def curve_table(runs, kind, label, names):
    """One row per point: req/s of each implementation, then p99 of each."""
    rows = [[f"{x:,}"] + [spread(runs.get(f"{kind} {x} {n}"), "per_second", count) for n in names]
            + [spread(runs.get(f"{kind} {x} {n}"), "p99_us", ms) for n in names]
            for x in points(runs, kind)]
    headers = ([label] + [f"{TITLES[n]} req/s" for n in names] + [f"{TITLES[n]} p99 ms" for n in names])
    return table(headers, rows)


def section(stages):
    """"Cost as the work grows": curves as tables (the plots draw the same numbers)."""
    runs = stages.get("curves")
    if not runs:
        return ""
    names = [n for n in NAMES if any(k.endswith(f" {n}") for k in runs)]
    sizes = points(runs, "size")
    size_rows = [[size_label(x)] + [spread(runs.get(f"size {x} {n}"), "mb_per_second", mb) for n in names]
                 + [ratio(runs.get(f"size {x} rust"), runs.get(f"size {x} {n}"), "mb_per_second")[1]
                    for n in names[1:]] for x in sizes]
    size_headers = (["message"] + [f"{TITLES[n]} MB/s" for n in names] + [f"Rust × {TITLES[n]}" for n in names[1:]])

    def memory(key, field):
        return [spread(runs.get(f"{key} {n}"), field, kib) for n in names]

    limits = [next((str(s["max_concurrent_streams"]) for s in runs.get(f"idle-connection {n}", [])
                    if "max_concurrent_streams" in s), "none") for n in names]
    opened = next((count(s["connections"]) for n in names for s in runs.get(f"idle-connection {n}", [])), "?")
    heap = spread(runs.get("waiting-call rust"), "heap_per_call_bytes", kib)
    memory_rows = [
        [f"per idle connection ({opened} open)"]
        + memory("idle-connection", "rss_per_connection_bytes"),
        ["per waiting bidi call, one connection (first reply received)"]
        + memory("waiting-stream", "rss_per_call_bytes"),
        ["per waiting unary call, one connection (`--work-delay`)"]
        + [spread(runs.get("waiting-call rust"), "rss_per_call_bytes", kib) + f" (heap {heap})"]
        + ["no delay knob"] * (len(names) - 1),
        ["server's `SETTINGS_MAX_CONCURRENT_STREAMS`"] + limits,
    ]
    return ("### Cost as the work grows\n\n"
            "Calls in flight on one connection (h2load `-c 1 -m N`):\n\n"
            + curve_table(runs, "in-flight", "in flight", names)
            + "\nConnections, one call in flight on each (h2load `-c N -m 1`):\n\n"
            + curve_table(runs, "connections", "connections", names)
            + "\nServer streaming by message size (bench-client, 2 connections, default client):\n\n"
            + table(size_headers, size_rows)
            + "\nMemory (VmRSS growth, KiB; Rust is `async-unary` for connections and "
            "`bench-stream-server` for bidi calls, C++ the callback server):\n\n"
            + table(["growth"] + [TITLES[n] for n in names], memory_rows))
