"""From recorded client transactions to the figures the benchmark reports."""

from __future__ import annotations

import statistics
from collections import Counter

from bench.workload import Txn


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    idx = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[idx]


def max_gap(ends: list[float], start: float, stop: float) -> float:
    """Longest time inside [start, stop] with no completed client transaction."""
    return gap_at(ends, start, stop)[0]


def gap_at(ends: list[float], start: float, stop: float) -> tuple[float, float]:
    """(length, start time) of the longest time in [start, stop] with no completion."""
    points = sorted(t for t in ends if start <= t <= stop)
    edges = [start, *points, stop]
    return max(((b - a, a) for a, b in zip(edges, edges[1:])), default=(stop - start, start))


def stall_over(ends: list[float], start: float, stop: float, lo: float, hi: float) -> float:
    """Longest stretch without a completed client transaction that overlaps [start, stop]
    (the stretches are cut from [lo, hi]): a stall a statement causes often ends after it,
    when the clients queued behind it finish."""
    points = sorted(t for t in ends if lo <= t <= hi)
    edges = [lo, *points, hi]
    return max((b - a for a, b in zip(edges, edges[1:]) if b >= start and a <= stop),
               default=0.0)


def window(txns: list[Txn], start: float, stop: float) -> dict:
    """Throughput, latency and errors of transactions started in [start, stop)."""
    inside = [t for t in txns if start <= t.start < stop]
    lat = [(t.end - t.start) * 1000 for t in inside]
    span = max(stop - start, 1e-9)
    done = [t for t in txns if start <= t.end < stop]
    errors = Counter(t.error for t in inside if not t.ok)
    return {
        "seconds": round(span, 3),
        "tps": round(sum(1 for t in done if t.ok) / span, 1),
        "p50_ms": _r(percentile(lat, 50)),
        "p99_ms": _r(percentile(lat, 99)),
        "max_ms": _r(max(lat) if lat else None),
        "max_stall_ms": _r(max_gap([t.end for t in txns], start, stop) * 1000),
        "errors": sum(errors.values()),
        "errors_by_sqlstate": dict(errors),
        "txns": len(inside),
    }


def _r(v):
    return None if v is None else round(v, 1)


def median_of(runs: list[dict], key: str):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else None
