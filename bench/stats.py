"""Percentiles and the result rows every benchmark reports."""

import math
from dataclasses import dataclass, field


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least pct% of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Row:
    """One line of the results table. Latencies in seconds; rate per second."""

    benchmark: str
    label: str
    concurrency: int | None
    count: int
    duration: float
    rate: float | None
    rate_unit: str
    p50: float | None
    p95: float | None
    p99: float | None
    errors: int = 0
    budget: str = ""
    verdict: str = ""  # "PASS", "FAIL" or "" when the row has no budget
    sub: bool = False  # a breakdown line (one step of a flow) under the row above
    cpu: str = ""  # who used the CPU during the measurement
    cpu_other: float | None = None  # cores used by processes other than the bench's
    memory: str = ""  # peak memory of the measured process, where it is measured

    @classmethod
    def from_latencies(cls, *, latencies: list[float], duration: float, **kwargs) -> "Row":
        count = len(latencies)
        return cls(
            count=count,
            duration=duration,
            rate=count / duration if duration > 0 else None,
            p50=percentile(latencies, 50),
            p95=percentile(latencies, 95),
            p99=percentile(latencies, 99),
            **kwargs,
        )

    def add_cpu(self, use) -> "Row":
        if use is not None:
            self.cpu, self.cpu_other = str(use), use.other
        return self

    def judge(self, *, metric: str, limit: float, text: str) -> None:
        """Budget on p50/p95/p99 in seconds. A run with errors fails its budget too."""
        value = getattr(self, metric)
        self.budget = text
        self.verdict = "PASS" if value is not None and value < limit and not self.errors else "FAIL"


@dataclass
class Outcome:
    """What one benchmark returns: rows for the table, and notes (errors loudest)."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
