"""Graders: one small module each, all with ``grade(case, result) -> GradeResult | None``."""

from __future__ import annotations

from migsmith.evals.graders import (
    lint_clean,
    llm_usage,
    plan_properties,
    refusal,
    shadow_roundtrip,
    spec_match,
)
from migsmith.evals.graders.base import GradeResult, RunOutput

# Run in this order; reports list grades in the same order.
GRADERS = (refusal, spec_match, plan_properties, lint_clean, shadow_roundtrip, llm_usage)
GRADER_NAMES = tuple(g.NAME for g in GRADERS)

__all__ = ["GRADERS", "GRADER_NAMES", "GradeResult", "RunOutput", "grade_all"]


def grade_all(case, result: RunOutput) -> list[GradeResult]:
    """Every applicable grade. A grader that crashes fails its grade instead of the run."""
    out = []
    for grader in GRADERS:
        try:
            grade = grader.grade(case, result)
        except Exception as exc:  # noqa: BLE001 - a grader bug is a failed grade, not a crash
            grade = GradeResult(grader.NAME, False, 0.0,
                                f"grader crashed: {type(exc).__name__}: {exc}")
        if grade is not None:
            out.append(grade)
    return out
