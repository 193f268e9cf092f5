"""Turns the raw samples into the published tables (Markdown), the targets
verdict, and the raw JSON/CSV files next to them."""
import csv
import json
import os
from statistics import median as median_of

from .config import STREAM_SIZES
from .curves import section as curves_section
from .steps import section as steps_section
from .stats import count, fraction, mb, median, mib, ms, pct, ratio, spread, table, times, us, us1

UNARY = ["async-unary", "sync-unary", "python-sync", "python-aio", "go", "cpp-sync",
         "cpp-callback", "tonic-helloworld", "tonic-helloworld-fresh", "roofline"]
STREAMERS = ["rust", "python-sync", "python-aio", "go", "cpp"]
# The headline: each implementation's unary server, as a reader would write it.
HEADLINE = [("Rust (tonic)", "async-unary"), ("Rust (tonic), sync-kit", "sync-unary"),
            ("Python sync (grpcio)", "python-sync"), ("Python aio (grpcio)", "python-aio"),
            ("Go (grpc-go)", "go"), ("C++ sync API", "cpp-sync"), ("C++ callback API", "cpp-callback")]


def headline_section(stages):
    """Rust vs Python sync vs Python aio vs Go vs C++: one row per implementation."""
    runs = stages.get("unary")
    if not runs:
        return ""
    rows = [[f"{label} `{name}`", spread(runs.get(name), "per_second", count),
             ratio(runs.get(name), runs.get("async-unary"), "per_second")[1],
             spread(runs.get(name), "server_cpu_us", us1),
             spread(runs.get(name), "switches_per_request", fraction),
             spread(runs.get(name), "p50_us", ms), spread(runs.get(name), "p99_us", ms),
             spread(runs.get(name), "idle_rss_kib", mib), spread(runs.get(name), "peak_rss_kib", mib)]
            for label, name in HEADLINE if name in runs]
    headers = ["implementation", "req/s", "× async-unary", "server CPU µs/req",
               "context switches/req", "p50 ms", "p99 ms", "idle RSS MiB", "peak RSS MiB"]
    return ("### Rust vs Python sync vs Python aio vs Go vs C++ (unary, same load, same run)\n\n"
            + table(headers, rows))


def unary_section(stages):
    """The unary table: throughput with ratios to the baselines, latency, CPU."""
    runs = stages.get("unary")
    if not runs:
        return ""
    rows = []
    for name in UNARY:
        own = runs.get(name)
        if not own:
            continue
        rows.append([f"`{name}`", spread(own, "per_second", count),
                     ratio(own, runs.get("python-sync"), "per_second")[1],
                     ratio(own, runs.get("python-aio"), "per_second")[1],
                     ratio(own, runs.get("go"), "per_second")[1],
                     ratio(own, runs.get("cpp-sync"), "per_second")[1],
                     ratio(own, runs.get("roofline"), "per_second")[1],
                     spread(own, "p50_us", ms), spread(own, "p99_us", ms),
                     spread(own, "server_cpu", pct), spread(own, "load_cpu", pct),
                     spread(own, "server_cpu_us", us1), spread(own, "switches_per_request", fraction)])
    headers = ["server", "req/s", "× Python sync", "× Python aio", "× Go", "× C++ sync", "× roofline",
               "p50 ms", "p99 ms", "server CPU", "h2load CPU", "server CPU µs/req",
               "context switches/req"]
    return "### Unary `SayHello` (h2load)\n\n" + table(headers, rows)


def validation_section(stages):
    """bench-client next to h2load: is our own client a bottleneck?"""
    runs = stages.get("validation")
    if not runs:
        return ""
    rows = []
    for name in ("async-unary", "roofline"):
        h2, ours = runs.get(f"{name} h2load"), runs.get(f"{name} bench-client")
        rows.append([f"`{name}`", spread(h2, "per_second", count),
                     spread(ours, "per_second", count), ratio(ours, h2, "per_second")[1],
                     spread(h2, "p50_us", ms), spread(ours, "p50_us", ms),
                     spread(h2, "load_cpu", pct), spread(ours, "load_cpu", pct)])
    headers = ["server", "h2load req/s", "bench-client req/s", "client / h2load",
               "h2load p50 ms", "client p50 ms", "h2load CPU", "client CPU"]
    return "### Our load client against h2load (unary, same -c/-m)\n\n" + table(headers, rows)


def streaming_section(stages):
    """The streaming table: msg/s and MB/s per size, Rust over Python."""
    runs = stages.get("streaming")
    if not runs:
        return ""
    rows = []
    cases = ([(size, "") for size in STREAM_SIZES] + [(STREAM_SIZES[-1], " big-frames")]
             + [(size, " tuned") for size in STREAM_SIZES[2:]])
    cases = [(size, variant) for size, variant in cases if f"{size} rust{variant}" in runs]
    names = [n for n in STREAMERS if any(k.endswith(f" {n}") for k in runs)]
    titles = {"rust": "Rust", "python-sync": "Python sync", "python-aio": "Python aio", "go": "Go",
              "cpp": "C++"}
    for size, variant in cases:
        by = {name: runs.get(f"{size} {name}{variant}") for name in names}
        label = size_label(size) + {"": "", " big-frames": ", 16 MiB frames",
                                    " tuned": ", client tuned"}[variant]
        rows.append([label]
                    + [spread(by[n], "per_second", count) for n in names]
                    + [spread(by["rust"], "mb_per_second", mb)]
                    + [ratio(by["rust"], by[n], "per_second")[1] for n in names[1:]])
    headers = (["message"] + [f"{titles[n]} msg/s" for n in names] + ["Rust MB/s"]
               + [f"Rust × {titles[n]}" for n in names[1:]])
    cpu_rows = [[row[0]] + [spread(runs.get(f"{size} {n}{variant}"), "server_cpu_us", us1) for n in names]
                + [spread(runs.get(f"{size} {n}{variant}"), "server_cpu", pct) for n in names]
                for row, (size, variant) in zip(rows, cases)]
    cpu_headers = (["message"] + [f"{titles[n]} µs/msg" for n in names]
                   + [f"{titles[n]} CPU" for n in names])
    return ("### Server streaming (bench-client)\n\n" + table(headers, rows)
            + "\nServer CPU time per message, and the share of a core each server got "
            "(on a busy machine the fairer comparison; see the text):\n\n"
            + table(cpu_headers, cpu_rows))


def size_label(size):
    """16 B, 1 KiB, 64 KiB, 1 MiB."""
    return f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB" if size >= 1024 else f"{size} B"


def pingpong_section(stages):
    """The ping-pong table: round-trip percentiles, relative to Rust."""
    runs = stages.get("pingpong")
    if not runs:
        return ""
    rows = [[f"`{name}`", spread(runs.get(name), "p50_us", us), spread(runs.get(name), "p99_us", us),
             spread(runs.get(name), "per_second", count),
             ratio(runs.get(name), runs.get("rust"), "p50_us", higher_is_better=False)[1],
             spread(runs.get(name), "server_cpu", pct), spread(runs.get(name), "other_cpu", pct)]
            for name in STREAMERS + ["rust-fifo"] if name in runs]
    headers = ["server", "p50 µs", "p99 µs", "round trips/s", "p50 × Rust's", "server CPU",
               "other processes' CPU"]
    return "### Bidi ping-pong round trip (bench-client, one stream)\n\n" + table(headers, rows)


def memory_section(stages):
    """Idle and peak RSS of every server."""
    unary, streaming = stages.get("unary") or {}, stages.get("streaming") or {}
    rows = [[f"`{name}` (unary)", spread(unary.get(name), "idle_rss_kib", mib),
             spread(unary.get(name), "peak_rss_kib", mib)] for name in UNARY if name in unary]
    rows += [[f"`{name}` (streams, up to 1 MiB messages)", "–",
              spread(streaming.get(f"peak-rss {name}"), "peak_rss_kib", mib)]
             for name in STREAMERS if f"peak-rss {name}" in streaming]
    if not rows:
        return ""
    return "### Memory (RSS, MiB)\n\n" + table(["server", "idle", "peak under load"], rows)


def build_section(stages):
    """What a learner waits for."""
    runs = stages.get("build")
    if not runs:
        return ""
    rows = [[what, spread(samples, "seconds", lambda s: f"{s:.1f}"),
             spread(samples, "crates_compiled", count)] for what, samples in runs.items()]
    return "### Build times (dev profile)\n\n" + table(["what", "seconds", "crates compiled"], rows)


def profile_section(stages):
    """Where the instructions go, by crate and by function."""
    runs = stages.get("profile")
    if not runs:
        return ""
    p = runs["profile"][0]
    crates = table(["crate", "self instructions"], [[f"`{c}`", f"{share} %"] for c, share in p["by_crate"]])
    others = "".join(f", `{name}` {n:,}" for name, n in p.get("ir_per_request_by_server", {}).items())
    return (f"### Profile: `async-unary` under callgrind ({p['requests']:,} h2load requests)\n\n"
            f"{p['total_ir']:,} instructions in all, about **{p['ir_per_request']:,} per request** "
            f"(start-up and shutdown included; measured the same way{others}). "
            "Self cost by crate:\n\n" + crates
            + "\nTop functions by self cost:\n\n```text\n" + "\n".join(p["self_top"])
            + "\n```\n\nTop functions by inclusive cost:\n\n```text\n"
            + "\n".join(p["inclusive_top"]) + "\n```\n")


def tuning_section(stages):
    """The allocator and release-profile experiments."""
    runs = stages.get("tuning")
    if not runs:
        return ""
    base = runs.get("async-unary")
    rows = [[f"`{name}`", spread(own, "per_second", count), ratio(own, base, "per_second")[1],
             spread(own, "server_cpu_us", us1),
             spread(runs.get(f"{name} callgrind"), "ir_per_request", count)]
            for name, own in runs.items() if not name.endswith(" callgrind")]
    headers = ["variant", "req/s", "× as built", "server CPU µs/req", "instructions/req (callgrind)"]
    return "### Experiments on `async-unary` (lesson code unchanged)\n\n" + table(headers, rows)


def instructions_ratio(stages, other):
    """Instructions per request of `other` over async-unary's (the profile stage)."""
    runs = (stages.get("profile") or {}).get("profile")
    if not runs:
        return None
    theirs = runs[0].get("ir_per_request_by_server", {}).get(other)
    return theirs / runs[0]["ir_per_request"] if theirs else None


def targets(stages):
    """The issue's targets: (what, measured, met) with None when not measured."""
    u, s, p = stages.get("unary") or {}, stages.get("streaming") or {}, stages.get("pingpong") or {}
    a = u.get("async-unary")
    checks = [
        ("async-unary ≥ 20× Python sync", ratio(a, u.get("python-sync"), "per_second")[0], 20),
        ("async-unary ≥ 5× Python aio", ratio(a, u.get("python-aio"), "per_second")[0], 5),
        ("async-unary ≥ 70 % of roofline", ratio(a, u.get("roofline"), "per_second")[0], 0.7),
        ("async-unary ≥ 1.0× grpc-go, req/s", ratio(a, u.get("go"), "per_second")[0], 1.0),
        ("async-unary ≥ 1.0× grpc-go, CPU per request",
         ratio(a, u.get("go"), "server_cpu_us", higher_is_better=False)[0], 1.0),
        ("async-unary ≥ 1.0× C++ sync server, req/s", ratio(a, u.get("cpp-sync"), "per_second")[0], 1.0),
        ("async-unary ≥ 1.0× C++ sync server, CPU per request",
         ratio(a, u.get("cpp-sync"), "server_cpu_us", higher_is_better=False)[0], 1.0),
        ("async-unary ≥ 0.95× tonic's helloworld server",
         ratio(a, u.get("tonic-helloworld"), "per_second")[0], 0.95),
        ("async-unary ≥ 0.95× tonic's helloworld server built in a fresh project",
         ratio(a, u.get("tonic-helloworld-fresh"), "per_second")[0], 0.95),
        ("async-unary ≥ 0.95× tonic's helloworld server, instructions per request (callgrind)",
         instructions_ratio(stages, "tonic-helloworld"), 0.95),
        ("sync-unary ≥ 70 % of async-unary", ratio(u.get("sync-unary"), a, "per_second")[0], 0.7),
    ]
    for size in STREAM_SIZES[2:]:
        rust, label = s.get(f"{size} rust"), size_label(size)
        checks += [(f"{label} streaming ≥ 2× Python aio", ratio(rust, s.get(f"{size} python-aio"), "per_second")[0], 2.0),
                   (f"{label} streaming ≥ 1.0× grpc-go", ratio(rust, s.get(f"{size} go"), "per_second")[0], 1.0),
                   (f"{label} streaming ≥ 2× Python aio, CPU per message",
                    ratio(rust, s.get(f"{size} python-aio"), "server_cpu_us", higher_is_better=False)[0], 2.0),
                   (f"{label} streaming ≥ 1.0× grpc-go, CPU per message",
                    ratio(rust, s.get(f"{size} go"), "server_cpu_us", higher_is_better=False)[0], 1.0)]
    for python in ("python-sync", "python-aio"):
        checks.append((f"ping-pong p99 ≤ {python}'s (× shown: theirs / ours)",
                       ratio(p.get("rust"), p.get(python), "p99_us", higher_is_better=False)[0], 1.0))
    # Not a target: the same server at real-time priority, to show what the misses are made of.
    checks.append(("(diagnosis) ping-pong p99 of Rust at SCHED_FIFO ≤ python-aio's",
                   ratio(p.get("rust-fifo"), p.get("python-aio"), "p99_us", higher_is_better=False)[0], 1.0))
    rows = [(what, value and times(value), value and value >= bar) for what, value, bar in checks]
    small = median(s.get(f"{STREAM_SIZES[0]} rust"), "per_second")
    rows.append(("server streaming ≥ 1 M small (16 B) msg/s", small and f"{count(small)} msg/s",
                 small and small >= 1e6))
    for name in ("async-unary", "sync-unary"):
        idle = median(u.get(name), "idle_rss_kib")
        rows.append((f"`{name}` idle RSS ≤ 10 MiB", idle and f"{mib(idle)} MiB", idle and idle <= 10240))
    return rows


def targets_section(stages):
    """The issue's targets with a verdict each."""
    rows = [[what, measured or "not measured", "–" if met is None else "**met**" if met else "**missed**"]
            for what, measured, met in targets(stages)]
    return "### Targets\n\n" + table(["target", "measured (median)", "verdict"], rows)


SECTIONS = [targets_section, headline_section, unary_section, validation_section, streaming_section,
            pingpong_section, memory_section, build_section, profile_section, tuning_section,
            steps_section, curves_section]


def other_work(stages):
    """How much CPU other processes took while cases were measured (one core = 100 %)."""
    shares = [s["other_cpu"] for cases in stages.values() for samples in cases.values()
              for s in samples if "other_cpu" in s]
    if not shares:
        return ""
    return (f" Other processes on the machine used {pct(median_of(shares))} of a core "
            f"during the median case (max {pct(max(shares))}).")


def markdown(results, image_prefix):
    """The whole results text: conditions, tables, plots."""
    meta, stages = results["meta"], results["stages"]
    head = ["<!-- generated by scripts/bench; do not edit -->",
            f"Measured {meta['date']} with `{meta['command']}` "
            f"({meta['reps']} repetitions, median with min–max; {meta['load']})."
            + other_work(stages) + "\n",
            "Machine: " + ", ".join(f"{k} {v}" for k, v in meta["machine"].items()) + ".\n"]
    for rerun in meta.get("partial_reruns", []):
        if "stages" in rerun:  # older re-runs did not record which stages they replaced
            head.append(f"Stages {', '.join(rerun['stages'])} re-measured {rerun['date']} with "
                        f"`{rerun['command']}` ({rerun['reps']} repetitions; {rerun['load']}); "
                        "the other stages are from the run above.\n")
    plots = [f"![{name}]({image_prefix}{name}.png)\n" for name in meta.get("plots", [])]
    body = [section(stages) for section in SECTIONS]
    return "\n".join(head + [b for b in body if b] + plots)


def write(results, out_dir, image_prefix):
    """results.json (everything), samples.csv (one row per number), results.inc (the
    Markdown tables the book includes; not `.md`: it is part of a page, not a page)."""
    os.makedirs(out_dir, exist_ok=True)
    text = json.dumps(results, indent=1, sort_keys=True)  # whole, before truncating the file
    with open(os.path.join(out_dir, "results.json"), "w") as out:
        out.write(text)
    with open(os.path.join(out_dir, "samples.csv"), "w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["stage", "case", "rep", "metric", "value"])
        for stage, cases in results["stages"].items():
            for case, samples in cases.items():
                for rep, sample in enumerate(samples, 1):
                    rows.writerows([stage, case, rep, k, v] for k, v in sample.items()
                                   if isinstance(v, (int, float)))
    text = markdown(results, image_prefix)
    with open(os.path.join(out_dir, "results.inc"), "w") as out:
        out.write(text)
    return text
