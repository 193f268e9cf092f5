"""Plots of a bench run: `python plots.py results.json OUT_DIR` (run with the
bench venv's python, which has matplotlib). Bars are medians; whiskers span the
repetitions' min and max. Prints the names of the PNGs it wrote."""
import json
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SIZES = [16, 1024, 64 * 1024, 1024 * 1024]
SIZE_LABELS = ["16 B", "1 KiB", "64 KiB", "1 MiB"]
UNARY = ["async-unary", "sync-unary", "python-sync", "python-aio", "go", "cpp-sync",
         "cpp-callback", "tonic-helloworld", "roofline"]
STREAMERS = ["rust", "python-sync", "python-aio", "go", "cpp"]


def ordered(runs, order):
    """The names in table order (results.json keeps keys sorted)."""
    return [name for name in order if name in runs]


def summary(samples, key):
    """Median of `key` over the repetitions, and the distances to min and max (the whiskers)."""
    found = [s[key] for s in samples or [] if key in s]
    if not found:
        return 0, (0, 0)
    mid = statistics.median(found)
    return mid, (mid - min(found), max(found) - mid)


def bars(ax, groups, series, log=False, scale=1.0):
    """Grouped bars: one group per label in `groups`; `series` holds
    (legend, samples for each group, key of the number to plot); values are
    multiplied by `scale`."""
    width = 0.8 / len(series)
    for i, (name, by_group, key) in enumerate(series):
        stats = [summary(samples, key) for samples in by_group]
        xs = [g + i * width for g in range(len(groups))]
        errors = [[err[side] * scale for _, err in stats] for side in (0, 1)]
        mids = [mid * scale for mid, _ in stats]
        ax.bar(xs, mids, width, yerr=errors, capsize=3, label=name)
    ax.set_xticks([g + width * (len(series) - 1) / 2 for g in range(len(groups))], groups)
    if log:
        ax.set_yscale("log")
    ax.grid(axis="y", alpha=0.3)


def save(fig, out_dir, name):
    """Writes `<name>.png` and prints its name for the report to link."""
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, f"{name}.png"), dpi=90)
    plt.close(fig)
    print(name)


def unary(stages, out_dir):
    """Throughput and latency of the five unary servers."""
    runs = stages.get("unary")
    if not runs:
        return
    names, fig, (left, right) = ordered(runs, UNARY), *plt.subplots(1, 2, figsize=(13, 4.5))
    samples = [runs[n] for n in names]
    bars(left, names, [("req/s", samples, "per_second")], log=True)
    left.set_title("Unary SayHello throughput (req/s, log scale)")
    bars(right, names, [("p50", samples, "p50_us"), ("p99", samples, "p99_us")], log=True)
    right.set_title("Unary latency under load (µs, log scale)")
    right.legend()
    for ax in (left, right):
        ax.tick_params(axis="x", rotation=20)
    save(fig, out_dir, "unary")


def streaming(stages, out_dir):
    """Messages/s and MB/s per message size, per server."""
    runs = stages.get("streaming")
    if not runs:
        return
    servers = [n for n in STREAMERS if any(k.endswith(f" {n}") for k in runs)]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for ax, key, title in ((left, "per_second", "messages/s"), (right, "mb_per_second", "MB/s")):
        series = [(n, [runs.get(f"{size} {n}") for size in SIZES], key) for n in servers]
        bars(ax, SIZE_LABELS, series, log=True)
        ax.set_title(f"Server streaming: {title} (log scale)")
    left.legend()
    save(fig, out_dir, "streaming")


def pingpong_and_memory(stages, out_dir):
    """Round-trip latency of the ping-pong servers; RSS of the unary servers."""
    ping, unary_runs = stages.get("pingpong"), stages.get("unary")
    if not ping and not unary_runs:
        return
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    if ping:
        names = ordered(ping, STREAMERS)
        samples = [ping[n] for n in names]
        bars(left, names, [("p50", samples, "p50_us"), ("p99", samples, "p99_us")])
        left.set_title("Bidi ping-pong round trip (µs)")
        left.legend()
    if unary_runs:
        names = ordered(unary_runs, UNARY)
        samples = [unary_runs[n] for n in names]
        series = [("idle", samples, "idle_rss_kib"), ("peak under load", samples, "peak_rss_kib")]
        bars(right, names, series, scale=1 / 1024)
        right.set_title("RSS of the unary servers (MiB)")
        right.tick_params(axis="x", rotation=20)
        right.legend()
    save(fig, out_dir, "latency-memory")


CURVE_NAMES = {"rust": "Rust", "go": "Go", "cpp": "C++ (callback)", "python-aio": "Python aio"}


def curve(ax, runs, kind, key, scale=1.0):
    """One line per implementation: median of `key` at each x of `kind`, whiskers min–max."""
    xs = sorted({int(k.split()[1]) for k in runs if k.startswith(kind + " ")})
    for name, label in CURVE_NAMES.items():
        found = [(x, summary(runs.get(f"{kind} {x} {name}"), key)) for x in xs]
        found = [(x, mid, err) for x, (mid, err) in found if mid]
        if found:
            ax.errorbar([x for x, _, _ in found], [mid * scale for _, mid, _ in found],
                        yerr=[[err[side] * scale for _, _, err in found] for side in (0, 1)],
                        marker="o", capsize=3, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(xs, [f"{x:,}" for x in xs])
    ax.minorticks_off()
    ax.grid(alpha=0.3)
    return xs


def curves(stages, out_dir):
    """Cost as the work grows: req/s and p99 against calls in flight and against
    connections; MB/s against message size (log-log)."""
    runs = stages.get("curves")
    if not runs:
        return
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    for row, (kind, what) in enumerate((("in-flight", "calls in flight on one connection"),
                                        ("connections", "connections, one call in flight each"))):
        curve(axes[row][0], runs, kind, "per_second")
        axes[row][0].set_title(f"req/s against {what}")
        curve(axes[row][1], runs, kind, "p99_us", scale=1e-3)
        axes[row][1].set_title(f"p99 (ms) against {what}")
    axes[0][0].legend()
    save(fig, out_dir, "curves-load")
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    xs = curve(ax, runs, "size", "mb_per_second")
    ax.set_xticks(xs, [label_of(x) for x in xs])
    ax.set_title("Server streaming MB/s against message size")
    ax.legend()
    save(fig, out_dir, "curves-size")


def label_of(size):
    """16 B, 1 KiB, 4 MiB."""
    return f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB" if size >= 1024 else f"{size} B"


def main(results_path, out_dir):
    """Every plot the results allow (a stage that did not run has none)."""
    with open(results_path) as f:
        stages = json.load(f)["stages"]
    for plot in (unary, streaming, pingpong_and_memory, curves):
        plot(stages, out_dir)


if __name__ == "__main__":
    main(*sys.argv[1:3])
