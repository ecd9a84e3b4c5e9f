"""The fuzz properties of ``bench/fuzz.py`` at CI size: specs, requests and schema fragments
for all three dialects, each either refused in one MigsmithError or planned into files that
parse back into exactly the intended statements.

``MIGSMITH_FUZZ_EXAMPLES=N`` runs N inputs per property instead (``python -m bench.fuzz
--examples 10000`` spreads 10,000 over them and prints the counts).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.fuzz import TALLY, property_tests  # noqa: E402

EXAMPLES = int(os.environ.get("MIGSMITH_FUZZ_EXAMPLES", "50"))
TESTS = property_tests(EXAMPLES)


@pytest.mark.parametrize("name", sorted(TESTS))
def test_fuzzed_input_is_refused_or_planned_exactly(name):
    TESTS[name]()
    assert TALLY[name, "run"] >= 1
    assert TALLY[name, "planned"] + TALLY[name, "refused"] == TALLY[name, "run"]
