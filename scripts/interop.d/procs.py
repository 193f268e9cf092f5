"""Child processes for the interop suite: start, read lines, wait (bounded), stop.

Every child runs in its own process group and is recorded in CHILDREN, so
`stop_all()` (called from a `finally` and on SIGINT/SIGTERM) leaves nothing
running, whatever failed.
"""
import os
import signal
import socket
import subprocess
import threading
import time

CHILDREN = []


class Child:
    """A running program whose stdout and stderr are collected line by line."""

    def __init__(self, label, argv, cwd=None, env=None):
        self.label = label
        self.argv = argv
        self.stdout = []
        self.stderr = []
        self._changed = threading.Condition()
        self.proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        CHILDREN.append(self)
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.stdout), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, pipe, into):
        for raw in iter(pipe.readline, b""):
            with self._changed:
                into.append(raw.decode("utf-8", errors="replace").rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def running(self):
        return self.proc.poll() is None

    def wait_for_line(self, wanted, timeout):
        """Waits until stdout has the line `wanted`; False on timeout or exit."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while wanted not in self.stdout:
                left = deadline - time.monotonic()
                if left <= 0 or not self.running():
                    return wanted in self.stdout
                self._changed.wait(min(left, 0.1))
        return True

    def wait_for_port(self, port, timeout):
        """Waits until 127.0.0.1:port accepts a TCP connection; False on timeout or exit."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                return False
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return True
            except OSError:
                try:  # returns at once if the child exits; otherwise a short bounded pause
                    self.proc.wait(timeout=0.05)
                except subprocess.TimeoutExpired:
                    pass
        return False

    def finish(self, timeout):
        """Waits for the program to exit by itself; kills it after `timeout`.

        Returns the exit code, or None when it had to be killed.
        """
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(grace=0)
            return None
        self._join_readers()
        return self.proc.returncode

    def stop(self, grace=10.0):
        """SIGTERM to the process group, then SIGKILL after `grace` seconds."""
        if self.running():
            self._signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._join_readers()
        return self.proc.returncode

    def _signal(self, sig):
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def _join_readers(self):
        for reader in self._readers:
            reader.join(timeout=5)

    def stderr_tail(self, n=12):
        return self.stderr[-n:]


def stop_all():
    """Stops every child this run started that is still running."""
    for child in CHILDREN:
        try:
            child.stop(grace=3)
        except Exception:  # keep stopping the others
            pass


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
