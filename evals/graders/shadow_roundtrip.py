"""Shadow-database round trip: up, down, up on a real throwaway database, via
``migsmith.tools.verify.verify_plan_dir``. Runs only with ``--verify``; skipped when the
verifier is not importable or the case produced no plan directory."""

from __future__ import annotations

from migsmith.evals.graders.base import GradeResult, RunOutput

NAME = "shadow_roundtrip"


def grade(case, result: RunOutput) -> GradeResult | None:
    if case.expect.refused is not None:
        return None
    if not result.verify:
        return GradeResult.skip(NAME, "not requested (use --verify)")
    try:
        from migsmith.tools.verify import verify_plan_dir
    except ImportError as exc:
        return GradeResult.skip(NAME, f"verifier not available ({exc})")
    if result.plan_dir is None or result.schema_path is None:
        return GradeResult(NAME, False, 0.0, "no plan directory to verify")
    from migsmith.tools.errors import MigsmithError

    kwargs = {"dialect": case.dialect, "rows": 200}
    if result.shadow_url:
        kwargs["shadow_url"] = result.shadow_url
    try:
        report = verify_plan_dir(result.plan_dir, str(result.schema_path), **kwargs)
    except MigsmithError as exc:
        return GradeResult(NAME, False, 0.0, f"verification could not run: {exc}")
    data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
    ok = bool(data.get("ok"))
    return GradeResult(NAME, ok, 1.0 if ok else 0.0, str(data.get("summary", "")),
                       data={"ok": ok})
