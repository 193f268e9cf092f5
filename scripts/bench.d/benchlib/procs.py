"""Servers under test as processes: start pinned, wait until they listen, read
their memory and CPU time from /proc, stop them.

On a 2-core machine the load generator competes with the server for CPU, so the
server runs on core 0 and the load generator on core 1 (`taskset`)."""
import os
import signal
import socket
import subprocess
import time

PINNED = (os.cpu_count() or 1) >= 2
SERVER_CPUS, LOAD_CPUS = "0", "1"
TICKS = os.sysconf("SC_CLK_TCK")


def pinned(cmd, cpus):
    """`cmd` run on `cpus` when the machine has two cores to split."""
    return ["taskset", "-c", cpus, *cmd] if PINNED else list(cmd)


def machine_busy_seconds():
    """CPU time all processes have used so far (every core, from /proc/stat), so a
    run can tell how much CPU other work took while it measured."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / TICKS


def free_port():
    """A port nobody listens on now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One server process; `cmd` is a function of the port it must listen on."""

    def __init__(self, name, cmd, log_dir, wrapper=(), start_timeout=30.0, env=None):
        """Prepares (does not start) the server; `wrapper` goes before the command (valgrind)."""
        self.name = name
        self.port = free_port()
        self.cmd = [*wrapper, *cmd(self.port)]
        self.env = dict(os.environ, **env) if env else None
        self.log_path = os.path.join(log_dir, f"{name}.log")
        self.start_timeout = start_timeout
        self.proc = None

    @property
    def url(self):
        """What clients dial."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        """Starts the server pinned and waits until it accepts connections."""
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(pinned(self.cmd, SERVER_CPUS), stdout=log,
                                         stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {self.log_path}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not listen on {self.port}; see {self.log_path}")

    def __exit__(self, *exc):
        """Stops the server however the block ended."""
        self.stop()

    def status_kib(self, field):
        """A memory line of /proc/PID/status in KiB (`VmRSS` now, `VmHWM` peak)."""
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise KeyError(field)

    def cpu_seconds(self):
        """User + system CPU time used so far, all threads."""
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def context_switches(self):
        """Context switches of all the server's threads so far: a thread handing a
        call to another thread and back shows up here, not in instruction counts."""
        total = 0
        for task in os.listdir(f"/proc/{self.proc.pid}/task"):
            try:
                with open(f"/proc/{self.proc.pid}/task/{task}/status") as status:
                    total += sum(int(line.split()[1]) for line in status
                                 if "ctxt_switches:" in line)
            except FileNotFoundError:  # a thread that just ended
                pass
        return total

    def stop(self, timeout=20.0):
        """SIGTERM (graceful: callgrind writes its profile), then SIGKILL."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_load(cmd, log_path):
    """Runs a load generator pinned to the load core; returns (stdout, cpu seconds).

    The CPU time (from wait4's rusage) shows whether the load generator, rather
    than the server, was the bottleneck."""
    with open(log_path, "w+") as out:
        proc = subprocess.Popen(pinned(cmd, LOAD_CPUS), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-2000:]}")
    return text, usage.ru_utime + usage.ru_stime
