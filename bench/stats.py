"""Summaries of timing samples: median, the tail (p95, p99) and the worst, over many trials.

Benchmarks report distributions, not single runs: the median says what is usual, p95 and p99
what a person meets now and then, and the maximum what the worst moment of the run was.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass


def percentile(samples: Sequence[float], share: float) -> float:
    """The ``share`` (0..1) percentile, by the nearest-rank method (a value that occurred)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """A distribution of samples, in the unit they were taken in."""

    n: int
    median: float
    p95: float
    p99: float
    max: float
    min: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Summary:
        """Summarise ``samples`` (at least one)."""
        return cls(
            n=len(samples),
            median=statistics.median(samples),
            p95=percentile(samples, 0.95),
            p99=percentile(samples, 0.99),
            max=max(samples),
            min=min(samples),
        )

    def as_dict(self) -> dict[str, float]:
        """For results.json."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> Summary:
        """Back from :meth:`as_dict`."""
        return cls(
            n=int(data["n"]),
            median=data["median"],
            p95=data["p95"],
            p99=data["p99"],
            max=data["max"],
            min=data["min"],
        )
