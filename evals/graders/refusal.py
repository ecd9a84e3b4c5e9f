"""Refusal: bad input must stop with a clear error, and good input must not be refused."""

from __future__ import annotations

from migsmith.evals.graders.base import GradeResult, RunOutput

NAME = "refusal"


def grade(case, result: RunOutput) -> GradeResult | None:
    expected = case.expect.refused
    got = result.refusal
    if expected is None and got is None:
        return None
    if expected is None:
        return GradeResult(NAME, False, 0.0, f"refused at {result.stage}: {got}")
    if got is None:
        ops = ", ".join(op.op for op in result.spec.operations) if result.spec else "none"
        return GradeResult(NAME, False, 0.0,
                           f"expected a refusal mentioning {expected!r}, but a plan was built "
                           f"(operations: {ops})")
    if expected.lower() in got.lower():
        return GradeResult(NAME, True, 1.0, f"refused at {result.stage}: {got}")
    return GradeResult(NAME, False, 0.0,
                       f"refused, but the message lacks {expected!r}: {got}")
