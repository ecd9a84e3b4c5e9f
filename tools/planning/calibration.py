"""Throughput constants behind every expected-duration figure.

The PostgreSQL defaults were measured by the load benchmark on the reference machine (2 shared
cores, PostgreSQL 16.2 from the pgserver wheel, 1M-row tables, 4 concurrent clients running the
whole time, so they are speeds *under load*), printed by

    python -m bench.under_load --rows 1000000 --repeat 3   # bench/results/under_load_1000000.json
    python -m bench.under_load --constants                 # constants from those results

(median of 3 runs each): ``rewrite`` = ALTER COLUMN TYPE integer -> bigint of posts, ``index`` =
CREATE INDEX on users(email) plus ANALYZE, ``scan`` = VALIDATE CONSTRAINT of a CHECK on posts,
``backfill`` = the batched copy into the shadow column (sync trigger firing, pauses excluded:
estimates add batches x pause), ``ddl`` = RENAME COLUMN. The MySQL and SQLite rows are not
measured by this benchmark. Run ``python -m bench.under_load --calibrate`` on your own hardware
to write a calibration file, and point ``MIGSMITH_CALIBRATION`` at it (default location:
``~/.config/migsmith/calibration.json``).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

# rows per second, per dialect; "ddl_seconds" is the cost of a metadata-only statement.
DEFAULTS: dict[str, dict[str, float]] = {
    "postgres": {
        "scan_rows_per_s": 2_155_000,  # VALIDATE CONSTRAINT / SET NOT NULL full-table check
        "rewrite_rows_per_s": 227_000,  # ALTER COLUMN TYPE rewrite, volatile default
        "index_rows_per_s": 382_000,  # CREATE INDEX (CONCURRENTLY takes about 2x)
        "backfill_rows_per_s": 14_000,  # batched UPDATE, pauses excluded, under live traffic
        # `migsmith backfill --workers N` against one worker, same table, same load
        "backfill_speedup_2_workers": 1.0,
        "backfill_speedup_4_workers": 1.0,
        "ddl_seconds": 0.02,
    },
    "mysql": {
        "scan_rows_per_s": 2_000_000,
        "rewrite_rows_per_s": 300_000,
        "index_rows_per_s": 500_000,
        "backfill_rows_per_s": 30_000,
        "ddl_seconds": 0.1,
    },
    "sqlite": {
        "scan_rows_per_s": 5_000_000,
        "rewrite_rows_per_s": 1_000_000,
        "index_rows_per_s": 1_000_000,
        "backfill_rows_per_s": 200_000,
        "ddl_seconds": 0.01,
    },
}


def calibration_path() -> Path:
    env = os.environ.get("MIGSMITH_CALIBRATION")
    return Path(env) if env else Path.home() / ".config" / "migsmith" / "calibration.json"


@lru_cache(maxsize=1)
def constants() -> dict[str, dict[str, float]]:
    merged = {k: dict(v) for k, v in DEFAULTS.items()}
    path = calibration_path()
    if path.is_file():
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            data = {}
        for dialect, values in data.items():
            if dialect in merged and isinstance(values, dict):
                merged[dialect].update({k: float(v) for k, v in values.items()
                                        if k in merged[dialect]})
    return merged


def seconds(dialect: str, kind: str, rows: int | None) -> float:
    """Expected seconds for ``kind`` (scan, rewrite, index, backfill, ddl) over ``rows``."""
    c = constants().get(dialect, constants()["postgres"])
    if kind == "ddl" or not rows:
        return c["ddl_seconds"]
    return c["ddl_seconds"] + rows / c[f"{kind}_rows_per_s"]


def backfill_seconds(dialect: str, rows: int, workers: int = 1) -> float:
    """Expected seconds of a backfill of ``rows`` rows at the calibrated rate, by ``workers``
    parallel workers (1, 2 or 4: the measured speed-ups; more are not extrapolated)."""
    c = constants().get(dialect, constants()["postgres"])
    speedup = 1.0 if workers <= 1 else c.get(f"backfill_speedup_{min(workers, 4)}_workers", 1.0)
    return rows / (c["backfill_rows_per_s"] * max(speedup, 1e-6))


def write_calibration(path: Path, values: dict[str, dict[str, float]]) -> Path:
    """Write measured constants (merged over an existing file) atomically; ``constants()``
    picks them up in the next process (or after ``constants.cache_clear()``)."""
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    current: dict = {}
    if path.is_file():
        try:
            current = json.loads(path.read_text())
        except (OSError, ValueError):
            current = {}
    for dialect, vals in values.items():
        unknown = set(vals) - set(DEFAULTS.get(dialect, {}))
        if dialect not in DEFAULTS or unknown:
            raise ValueError(f"unknown calibration keys for {dialect}: {sorted(unknown)}")
        current.setdefault(dialect, {}).update({k: float(v) for k, v in vals.items()})
    fd, tmp = tempfile.mkstemp(prefix=".calibration.", dir=path.parent)
    with os.fdopen(fd, "w") as fh:
        json.dump(current, fh, indent=2)
    os.replace(tmp, path)
    constants.cache_clear()
    return path
