"""The calibration file the benchmark's --calibrate writes, and how estimates pick it up."""

from __future__ import annotations

import json

import pytest

from migsmith.tools.planning import calibration


def test_written_constants_drive_estimates(tmp_path, monkeypatch):
    path = tmp_path / "cal" / "calibration.json"
    monkeypatch.setenv("MIGSMITH_CALIBRATION", str(path))
    calibration.constants.cache_clear()
    try:
        before = calibration.seconds("postgres", "rewrite", 1_000_000)
        calibration.write_calibration(path, {"postgres": {"rewrite_rows_per_s": 10_000}})
        assert json.loads(path.read_text()) == {"postgres": {"rewrite_rows_per_s": 10_000.0}}
        after = calibration.seconds("postgres", "rewrite", 1_000_000)
        assert after == pytest.approx(100 + calibration.DEFAULTS["postgres"]["ddl_seconds"])
        assert after != before
        with pytest.raises(ValueError, match="unknown calibration keys"):
            calibration.write_calibration(path, {"postgres": {"rows_per_minute": 1}})
    finally:
        monkeypatch.delenv("MIGSMITH_CALIBRATION")
        calibration.constants.cache_clear()
