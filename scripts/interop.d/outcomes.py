"""What every case shares, under the case table: the two directions, a case's
outcome, and the small helpers the cases that run their own steps use (authz,
otel, uds, one_port). A leaf module: it imports no sibling, so cases.py can
import those cases and they can import this, with no cycle.
"""
import os
from dataclasses import dataclass, field

PY_TO_RUST = "py-client→rust-server"
RUST_TO_PY = "rust-client→py-server"
DIRECTIONS = (PY_TO_RUST, RUST_TO_PY)


@dataclass
class Outcome:
    status: str  # PASS, FAIL or SKIP
    problems: list = field(default_factory=list)
    note: str = None


def unary_lines(name):
    return ["Will try to greet world ...", f"Greeter client received: Hello, {name}!"]


def secret_file(path, value):
    """Writes `value` to `path`, mode 0600 from creation; returns the path as text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
        file.write(value)
    return str(path)
