"""Shadow-database round trip: up, down, up on a real throwaway database, via
``migsmith.tools.proving.verify.verify_plan_dir``. Runs only with ``--verify``; skipped when the
verifier is not importable or cannot verify this dialect yet."""

from __future__ import annotations

import json

from migsmith.evals.graders.base import GradeResult, RunOutput

NAME = "shadow_roundtrip"
ROWS = 200  # sample rows per table: enough to exercise backfills and checks, and quick


def grade(case, result: RunOutput) -> GradeResult | None:
    if case.expect.refused is not None or not case.plan:
        return None
    if not result.verify:
        return GradeResult.skip(NAME, "not requested (use --verify)")
    try:
        from migsmith.tools.proving import verify
    except ImportError as exc:
        return GradeResult.skip(NAME, f"verifier not available ({exc})")
    # The verifier reads every plan file as PostgreSQL before it looks at the dialect, so a
    # MySQL or SQLite plan would fail on its syntax, not on its behaviour: ask first.
    supported = getattr(verify, "VERIFIABLE_DIALECTS", ("postgres",))
    if case.dialect not in supported:
        return GradeResult.skip(NAME, f"the verifier does not run {case.dialect} plans yet")
    if result.plan_dir is None or result.schema_path is None:
        return GradeResult(NAME, False, 0.0, "no plan directory to verify")
    from migsmith.tools.errors import MigsmithError

    try:
        report = verify.verify_plan_dir(result.plan_dir, str(result.schema_path), dialect=case.dialect,
                                 rows=ROWS, server_url=result.shadow_url, write=False)
    except MigsmithError as exc:
        if "not supported yet" in str(exc):
            return GradeResult.skip(NAME, f"verifier: {exc}")
        return GradeResult(NAME, False, 0.0, f"verification could not run: {exc}")
    data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
    ok = bool(data.get("ok"))
    summary = str(data.get("summary", ""))
    want = case.expect.verify_may_refuse
    if not ok and want is not None and want.lower() in json.dumps(data, default=str).lower():
        # the plan stopped itself on this data, for the reason the case allows
        return GradeResult(NAME, True, 1.0, f"stopped as allowed ({want!r}): {summary}",
                           data={"ok": ok, "stopped": True})
    return GradeResult(NAME, ok, 1.0 if ok else 0.0, summary, data={"ok": ok})
