"""The two load generators: h2load (external, for unary) and bench-client (ours,
for streaming shapes and to validate against h2load). Each returns a dict of
numbers for one run."""
import json
import math
import os
import re

from .config import UNARY_PATH
from .procs import machine_busy_seconds, run_load


def request_body(work_dir, name="Jack"):
    """The length-prefixed `SayHelloRequest{name}` h2load POSTs on every request."""
    proto = bytes([0x0A, len(name)]) + name.encode()
    path = os.path.join(work_dir, "say_hello_request.bin")
    with open(path, "wb") as body:
        body.write(b"\0" + len(proto).to_bytes(4, "big") + proto)
    return path


def millis(seconds):
    """A duration as h2load takes it (`1500ms`)."""
    return f"{round(seconds * 1000)}ms"


def percentile(sorted_values, q):
    """Nearest-rank percentile, as bench-client computes it."""
    rank = max(1, min(len(sorted_values), math.ceil(q * len(sorted_values))))
    return sorted_values[rank - 1]


def h2load(settings, server, seconds=None, requests=None):
    """Unary `SayHello` load on `server`: req/s, p50/p99 latency, CPU of both sides."""
    work = settings.work_dir
    log_file = os.path.join(work, f"{server.name}.h2load.tsv")
    if os.path.exists(log_file):  # h2load appends: a second run would count the first's latencies
        os.remove(log_file)
    mode = ["-n", str(requests)] if requests else [
        "-D", millis(seconds or settings.seconds), f"--warm-up-time={millis(settings.warmup)}"]
    cmd = ["h2load", *mode, "-c", str(settings.connections), "-m", str(settings.streams_per_conn),
           "-t", "1", "-d", request_body(work), "-H", "content-type: application/grpc",
           "-H", "te: trailers", f"--log-file={log_file}", server.url + UNARY_PATH]
    cpu_before, switches_before = server.cpu_seconds(), server.context_switches()
    busy_before = machine_busy_seconds()
    text, load_cpu = run_load(cmd, os.path.join(work, f"{server.name}.h2load.out"))
    server_cpu = server.cpu_seconds() - cpu_before
    busy = machine_busy_seconds() - busy_before
    switches = server.context_switches() - switches_before
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, "
                     r"(\d+) failed, (\d+) errored", text)
    rate = re.search(r"finished in ([\d.]+)(m?)s, ([\d.]+) req/s", text)  # ms under 1 s
    if not done or not rate or int(done[3]) or int(done[4]) or not int(done[2]):
        raise RuntimeError(f"h2load against {server.name} failed:\n{text[-1500:]}")
    with open(log_file) as log:
        latencies = sorted(int(line.split("\t")[2]) for line in log if line.strip())
    wall = float(rate[1]) / (1000 if rate[2] else 1)
    result = with_cpu({"per_second": float(rate[3]), "count": int(done[2]),
                       "p50_us": percentile(latencies, 0.50), "p99_us": percentile(latencies, 0.99)},
                      server_cpu, load_cpu, wall, busy)
    result["switches_per_request"] = switches / (result["per_second"] * wall)
    return result


def with_cpu(result, server_cpu, load_cpu, wall, busy):
    """Adds CPU use: each side's share of a core over the run (warm-up included),
    what other processes took (`busy` is the whole machine's CPU time), and the
    server's CPU time per call or message. The last barely depends on what else the
    machine is doing, unlike throughput, so it is the fairer number on a busy
    machine (it assumes the warm-up ran at the measured rate)."""
    result["server_cpu"] = server_cpu / wall
    result["load_cpu"] = load_cpu / wall
    result["other_cpu"] = max(0.0, (busy - server_cpu - load_cpu) / wall)
    if result["per_second"]:  # a stalled case (nothing arrived in the window) has no cost per call
        result["server_cpu_us"] = 1e6 * server_cpu / (result["per_second"] * wall)
    return result


def bench_client(settings, server, command, *flags):
    """One bench-client run (`unary`, `stream` or `pingpong`); its JSON line plus CPU."""
    cmd = [settings.binary("bench-client"), command, "--addr", server.url,
           "--seconds", str(settings.seconds), "--warmup", str(settings.warmup), *flags]
    cpu_before, busy_before = server.cpu_seconds(), machine_busy_seconds()
    out = os.path.join(settings.work_dir, f"{server.name}.{command}.out")
    text, load_cpu = run_load(cmd, out)
    result = json.loads(text.strip().splitlines()[-1])
    return with_cpu(result, server.cpu_seconds() - cpu_before, load_cpu,
                    settings.seconds + settings.warmup, machine_busy_seconds() - busy_before)


def check(settings, server):
    """One checked unary call: h2load counts HTTP 200 as success even when the
    gRPC status is an error, so every unary server proves its greeting first."""
    text, _ = run_load([settings.binary("bench-client"), "check", "--addr", server.url],
                       os.path.join(settings.work_dir, f"{server.name}.check.out"))
    if text.strip() != "Hello, Jack!":
        raise RuntimeError(f"{server.name} answered {text!r}")
