"""The shadow round trip grader on a real PostgreSQL (the session server)."""

from __future__ import annotations

import pytest

from migsmith.evals.case import load_cases
from migsmith.evals.runner import RunConfig, run_case

pytestmark = pytest.mark.postgres


def test_round_trip_passes_and_a_protective_refusal_counts(pg_server_url):
    pytest.importorskip("migsmith.tools.verify")
    config = RunConfig(verify=True, shadow_url=pg_server_url)
    cases = {c.id: c for c in load_cases()}
    good = run_case(cases["doc-spec-users-email-index"], config)
    grade = next(g for g in good.grades if g["name"] == "shadow_roundtrip")
    assert not grade["skipped"] and grade["passed"], grade["details"]
    guarded = run_case(cases["pg-shop-quantity-check"], config)
    grade = next(g for g in guarded.grades if g["name"] == "shadow_roundtrip")
    assert grade["passed"] and "refused as expected" in grade["details"]
