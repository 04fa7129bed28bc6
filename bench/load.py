"""The load generator: N virtual users, each a thread looping over one iteration (a request or a
whole flow) for a warm-up and then a measured window. Only operations that END inside the window
count, for throughput and latency alike. CPU use by the server, PostgreSQL and this client is
measured over the same window, because on a small machine they share the cores."""

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    op: str
    start: float
    end: float
    ok: bool
    error: str | None = None
    http_error: bool = False

    @property
    def seconds(self) -> float:
        return self.end - self.start


Record = Callable[..., None]


@dataclass
class LoadRun:
    concurrency: int
    duration: float  # the measured window, in seconds
    samples: list[Sample]  # ended inside the window
    outside: list[Sample]  # warm-up and tail: not measured, but their errors still count
    cpu: "CpuUse | None" = None
    stragglers: int = 0  # virtual users still busy when we stopped waiting for them

    def latencies(self, op: str) -> list[float]:
        return [s.seconds for s in self.samples if s.op == op and s.ok]

    def errors(self, op: str | None = None) -> list[Sample]:
        return [s for s in self.samples if not s.ok and (op is None or s.op == op)]

    def all_errors(self) -> list[Sample]:
        return [s for s in self.samples + self.outside if not s.ok]


def _proc_ticks(pid: int) -> tuple[int, int, str] | None:
    """(ppid, utime+stime, comm) of a process, or None if it has gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[11]) + int(fields[12]), comm


@dataclass
class CpuUse:
    """Cores used on average over a window."""

    server: float
    postgres: float
    client: float
    machine: float
    cores: int

    @property
    def other(self) -> float:
        """Everything else on the machine: other people's work skews the figures."""
        return max(0.0, self.machine - self.server - self.postgres - self.client)

    def __str__(self) -> str:
        return (
            f"server {self.server:.2f}, postgres {self.postgres:.2f}, load generator "
            f"{self.client:.2f}, other processes {self.other:.2f}; machine busy "
            f"{self.machine:.2f} of {self.cores} cores"
        )


@dataclass
class CpuSnapshot:
    at: float
    busy: int
    total: int
    client: float
    server: dict[int, int] = field(default_factory=dict)
    postgres: dict[int, int] = field(default_factory=dict)


class CpuMeter:
    """Cores used between two snapshots by: the gunicorn master and workers, PostgreSQL backends
    on this machine, this process (the load generator), and the whole machine."""

    def __init__(self, server_pid: Callable[[], int | None]):
        self.server_pid = server_pid

    def snapshot(self) -> CpuSnapshot:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        total = sum(fields[:8])
        times = os.times()
        snap = CpuSnapshot(time.monotonic(), total - idle, total, times.user + times.system)
        master = self.server_pid()
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            info = _proc_ticks(int(entry.name))
            if info is None:
                continue
            ppid, ticks, comm = info
            if master and (int(entry.name) == master or ppid == master):
                snap.server[int(entry.name)] = ticks
            elif comm.startswith("postgres"):
                snap.postgres[int(entry.name)] = ticks
        return snap

    @staticmethod
    def describe(a: CpuSnapshot, b: CpuSnapshot) -> CpuUse | None:
        wall = b.at - a.at
        if wall <= 0:
            return None

        def used(before: dict[int, int], after: dict[int, int]) -> float:
            ticks = sum(t - before.get(pid, 0) for pid, t in after.items())
            return ticks / CLOCK_TICKS / wall

        cores = os.cpu_count() or 1
        machine = (b.busy - a.busy) / max(1, b.total - a.total) * cores
        return CpuUse(
            server=used(a.server, b.server),
            postgres=used(a.postgres, b.postgres),
            client=(b.client - a.client) / wall,
            machine=machine,
            cores=cores,
        )


def run_load(
    *,
    concurrency: int,
    warmup: float,
    duration: float,
    make_state: Callable[[int], object],
    iteration: Callable[[object, Record], None],
    cpu: CpuMeter | None = None,
    drain_timeout: float = 120.0,
) -> LoadRun:
    """Runs `iteration(state, record)` in a loop on `concurrency` threads. `record(op, start,
    end, ok, error=None, http_error=False)` notes one timed operation (perf_counter times)."""
    stop = threading.Event()
    per_thread: list[list[Sample]] = [[] for _ in range(concurrency)]
    states = [make_state(i) for i in range(concurrency)]

    def virtual_user(index: int) -> None:
        samples = per_thread[index]

        def record(op, start, end, ok, error=None, http_error=False):
            samples.append(Sample(op, start, end, ok, error, http_error))

        while not stop.is_set():
            try:
                iteration(states[index], record)
            except Exception as error:  # a bench bug must not silently kill a virtual user
                now = time.perf_counter()
                record("bench", now, now, False, f"{type(error).__name__}: {error}")
                time.sleep(0.1)

    threads = [
        threading.Thread(target=virtual_user, args=(i,), daemon=True, name=f"vu-{i}")
        for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(warmup)
        before = cpu.snapshot() if cpu else None
        t0 = time.perf_counter()
        time.sleep(duration)
        t1 = time.perf_counter()
        after = cpu.snapshot() if cpu else None
    finally:
        stop.set()
        deadline = time.monotonic() + drain_timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
    samples = [s for batch in per_thread for s in list(batch)]
    inside = [s for s in samples if t0 <= s.end <= t1]
    outside = [s for s in samples if not t0 <= s.end <= t1]
    return LoadRun(
        concurrency=concurrency,
        duration=t1 - t0,
        samples=inside,
        outside=outside,
        cpu=CpuMeter.describe(before, after) if before and after else None,
        stragglers=sum(thread.is_alive() for thread in threads),
    )
