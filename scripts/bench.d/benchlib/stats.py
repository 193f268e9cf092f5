"""Medians, spreads and ratios over repetitions: every number the report quotes
is a median of the repetitions, shown with its min–max."""
import statistics


def values(samples, key):
    """The values of `key` in the samples that have it."""
    return [s[key] for s in samples or [] if key in s]


def median(samples, key):
    """The median of `key`, or None without samples."""
    found = values(samples, key)
    return statistics.median(found) if found else None


def spread(samples, key, fmt):
    """`median (min–max)`, or `–` when there are no samples."""
    found = values(samples, key)
    if not found:
        return "–"
    text = fmt(statistics.median(found))
    return text if len(found) == 1 else f"{text} ({fmt(min(found))}–{fmt(max(found))})"


def ratio(a, b, key, higher_is_better=True):
    """How many times better `a` is than `b`: the ratio of medians, with the range
    of the per-repetition ratios (rep i of `a` against rep i of `b`)."""
    ma, mb = median(a, key), median(b, key)
    if not ma or not mb:
        return None, "–"
    per_rep = [x / y if higher_is_better else y / x
               for x, y in zip(values(a, key), values(b, key)) if x and y]
    value = ma / mb if higher_is_better else mb / ma
    text = times(value)
    if len(per_rep) > 1:
        text += f" ({times(min(per_rep))}–{times(max(per_rep))})"
    return value, text


def times(x):
    """A ratio, as the tables print it."""
    return f"{x:.2f}×" if x < 10 else f"{x:.1f}×"


# Cell formatters: how each unit is printed in the tables.
def count(x):
    return f"{x:,.0f}"


def mb(x):
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def ms(us):
    return f"{us / 1000:.2f}"


def us(x):
    return f"{x:.0f}"


def us1(x):
    return f"{x:.1f}" if x < 100 else f"{x:.0f}"


def fraction(x):
    """Small ratios such as context switches per request."""
    return f"{x:.2f}"


def mib(kib):
    return f"{kib / 1024:.1f}"


def pct(x):
    return f"{100 * x:.0f} %"


def table(headers, rows):
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
