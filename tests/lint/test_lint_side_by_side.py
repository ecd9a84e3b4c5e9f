"""The side-by-side with squawk runs on the corpus files at hand (a handful, to stay quick)."""

import pytest

from migsmith.tools.lint import side_by_side
from migsmith.tools.lint.squawk import find_squawk


def test_side_by_side_counts_agreement_per_rule(monkeypatch):
    if find_squawk() is None:
        pytest.skip("squawk not installed (pip install squawk-cli)")
    files, _ = side_by_side._files("tune")
    if len(files) < 20:
        pytest.skip("the migration corpus is not on this machine")
    sample = [f for f in files if f[0]["optout"]][:5] + files[:15]
    monkeypatch.setattr(side_by_side, "_files", lambda split: (sample, len(sample)))
    result = side_by_side.compare("tune", assume=True)
    assert result["files"] == 20 and result["opted_out"] == 5
    assert result["concurrently"]["migsmith"] == 0  # written opt-outs are honoured
    assert all(sum(c.values()) >= 1 for c in result["rows"].values())
    assert "require-timeout-settings" not in result["rows"]
