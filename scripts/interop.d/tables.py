"""The result tables: lesson (case) × direction, as Markdown, CJK-aware.

A leaf module: the harness prints these tables and peers.py writes one into the
book, so both import it and it imports neither.
"""
import unicodedata


def width(text):
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text, size):
    return text + " " * (size - width(text))


def status_table(results, heads):
    """A Markdown table of lesson (case) × direction, PASS/FAIL/SKIP in each cell."""
    rows = {}
    for case, outcome in results:
        rows.setdefault(case.row, {})[case.direction] = outcome
    first = max([width("lesson (case)")] + [width(r) for r in rows])
    lines = ["| " + pad("lesson (case)", first) + " | " + " | ".join(heads) + " |",
             "|" + "-" * (first + 2) + "|" + "|".join("-" * (len(h) + 2) for h in heads) + "|"]
    for row, by_direction in rows.items():
        cells = [pad(by_direction[h].status if h in by_direction else "-", len(h)) for h in heads]
        lines.append("| " + pad(row, first) + " | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
