"""Lint clean: every step of the plan passes migsmith's own linter, run the way the step runs.

Uses ``lint_plan_step`` (taste rules off; destructive rules expected on downs). Error findings
fail the grade; warnings are advice (e.g. a trigger created in the same short transaction as
its column, on purpose) and are listed without failing it. A downtime plan takes its locks by
design, so the locking, rewrite and destructive rules do not apply to it; nor do the
destructive rules to a switch or contract step (replacing the old structure is its job), to a
spec that allows data loss, nor the renaming rules to a spec that asks for that rename. The
files are linted in the order they run: the ups, then the full rollback. Skipped with
"not available" until the linter is importable.
"""

from __future__ import annotations

from migsmith.evals.graders.base import GradeResult, RunOutput

NAME = "lint_clean"
ACCEPTED_IN_DOWNTIME = frozenset({"locking", "rewrite", "destructive"})
_ASKED_FOR = {"rename_table": "renaming-table", "rename_column": "renaming-column"}


def grade(case, result: RunOutput) -> GradeResult | None:
    if case.expect.refused is not None or not case.plan:
        return None
    try:
        from migsmith.tools.lint import lint_plan_step
    except ImportError as exc:
        return GradeResult.skip(NAME, f"linter not available ({exc})")
    plan = result.plan
    if plan is None:
        return GradeResult(NAME, False, 0.0, "no plan was built")
    from migsmith.tools.errors import MigsmithError

    accepted = ACCEPTED_IN_DOWNTIME if plan.strategy == "downtime" else frozenset()
    if plan.spec.options.allow_data_loss:
        accepted |= {"destructive"}  # the user said the data may go
    # A rule that flags the very change the user asked for (a rename) is expected: the plan
    # handles the clients (compatibility view or trigger, deploy order).
    asked_for = {rule for op, rule in _ASKED_FOR.items()
                 if any(o.op == op for o in plan.spec.operations)}
    pg_version = _major(plan.target_version) if plan.dialect == "postgres" else 14
    ups = [(s, "up", s.up_sql) for s in plan.steps if (s.up_sql or "").strip()]
    downs = [(s, "down", s.down_sql) for s in reversed(plan.steps) if (s.down_sql or "").strip()]
    findings, warnings = [], []
    # Lint the files the way they run, one after another, so that what an earlier step did
    # counts (a CHECK validated in step 5 is what makes step 6's SET NOT NULL cheap): every up
    # in order; then a full rollback, every down from the last step back, after all the ups.
    # Two linter runs per plan, whatever its length.
    for direction, segments in (("up", ups), ("down", ups + downs)):
        text, starts = _join(segments)
        try:
            # A step file carries its own BEGIN/COMMIT (step.transactional says so) and is run
            # as written, so the runner adds no transaction around it.
            found = lint_plan_step(text, transactional=False, direction=direction,
                                   dialect=plan.dialect, pg_version=pg_version,
                                   filename=f"plan.{direction}.sql")
        except MigsmithError as exc:
            findings += _unparsable(segments, direction, exc, lint_plan_step, plan.dialect)
            continue
        for f in found:
            i = max(k for k, first in enumerate(starts) if first <= f.line)
            step, seg_direction, _ = segments[i]
            if seg_direction != direction:
                continue  # an up seen again as the rollback's context
            step_accepted = accepted | ({"destructive"} if step.phase in ("switch", "contract")
                                        and direction == "up" else set())
            if _category(f.rule_id) in step_accepted or f.rule_id in asked_for:
                continue
            line = f"{step.slug}.{direction}.sql:{f.line - starts[i] + 1} {f.rule_id}: {f.message}"
            (findings if f.severity == "error" else warnings).append(line)
    checked = len(ups) + len(downs)
    data = {"errors": len(findings), "warnings": len(warnings), "files": checked}
    if findings:
        bad_files = len({f.split(":")[0] for f in findings})
        return GradeResult(NAME, False, max(0.0, 1 - bad_files / max(checked, 1)),
                           _summarize(findings, "error"), data=data)
    text = f"{checked} files without errors"
    if warnings:
        text += "; " + _summarize(warnings, "warning")
    return GradeResult(NAME, True, 1.0, text, data=data)


def _join(segments) -> tuple[str, list[int]]:
    """One text of every segment, and the 1-based line each segment starts on."""
    parts, starts, line = [], [], 1
    for _, _, sql in segments:
        body = sql.rstrip("\n") + "\n"
        starts.append(line)
        parts.append(body)
        line += body.count("\n")
    return "".join(parts), starts


def _unparsable(segments, direction, exc, lint_plan_step, dialect) -> list[str]:
    """Which of the files does not parse (the joined text stopped at the first one)."""
    from migsmith.tools.errors import MigsmithError

    out = []
    for step, seg_direction, sql in segments:
        if seg_direction != direction:
            continue
        name = f"{step.slug}.{direction}.sql"
        try:
            lint_plan_step(sql, transactional=False, direction=direction, dialect=dialect,
                           filename=name)
        except MigsmithError as err:
            out.append(f"{name}: does not lint: {err}")
    return out or [f"plan.{direction}.sql: does not lint: {exc}"]


def _summarize(items: list[str], kind: str) -> str:
    more = f" (+{len(items) - 3} more)" if len(items) > 3 else ""
    return f"{len(items)} {kind}(s): " + "; ".join(items[:3]) + more


def _category(rule_id: str) -> str | None:
    from migsmith.tools.lint import all_rules

    rule = all_rules().get(rule_id)
    return getattr(rule, "category", None)


def _major(version: str) -> int:
    head = "".join(ch for ch in str(version).split(".")[0] if ch.isdigit())
    return int(head) if head else 14
