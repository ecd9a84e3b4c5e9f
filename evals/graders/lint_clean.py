"""Lint clean: every step of the plan passes migsmith's own linter, run the way the step runs.

Uses ``lint_plan_step`` (taste rules off; destructive rules expected on downs). Error findings
fail the grade; warnings are advice (e.g. a trigger created in the same short transaction as
its column, on purpose) and are listed without failing it. A downtime plan takes its locks by
design, so the locking, rewrite and destructive rules do not apply to it; nor do the
destructive rules to a switch or contract step (replacing the old structure is its job), to a
spec that allows data loss, nor the renaming rules to a spec that asks for that rename. Each
up is linted behind the ups before it, and each down behind its own up, as they will run.
Skipped with
"not available" until the linter is importable.
"""

from __future__ import annotations

from migsmith.evals.graders.base import GradeResult, RunOutput

NAME = "lint_clean"
ACCEPTED_IN_DOWNTIME = frozenset({"locking", "rewrite", "destructive"})
_ASKED_FOR = {"rename_table": "renaming-table", "rename_column": "renaming-column"}


def grade(case, result: RunOutput) -> GradeResult | None:
    if case.expect.refused is not None:
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
    findings, warnings, checked = [], [], 0
    applied = ""  # the ups before this step: what the database has seen when it runs
    for step in plan.steps:
        for direction, sql in (("up", step.up_sql), ("down", step.down_sql)):
            if not (sql or "").strip():
                continue
            checked += 1
            name = f"{step.slug}.{direction}.sql"
            # An up runs after the earlier ups, so lint it behind them (a CHECK validated in
            # step 5 is what makes step 6's SET NOT NULL cheap) and keep only its own findings.
            # A down runs right after its up (a rollback), so it is linted behind that.
            prefix = applied if direction == "up" else applied + step.up_sql.rstrip("\n") + "\n"
            offset = prefix.count("\n")
            try:
                # A step file carries its own BEGIN/COMMIT (step.transactional says so) and
                # is run as written, so the runner adds no transaction around it.
                found = lint_plan_step(prefix + sql, transactional=False,
                                       direction=direction, dialect=plan.dialect,
                                       pg_version=pg_version, filename=name)
            except MigsmithError as exc:
                findings.append(f"{name}: does not lint: {exc}")
                continue
            step_accepted = accepted | ({"destructive"} if step.phase in ("switch", "contract")
                                        and direction == "up" else set())
            for f in found:
                if (f.line <= offset or _category(f.rule_id) in step_accepted
                        or f.rule_id in asked_for):
                    continue
                text = f"{name}:{f.line - offset} {f.rule_id}: {f.message}"
                (findings if f.severity == "error" else warnings).append(text)
        applied += step.up_sql.rstrip("\n") + "\n"
    data = {"errors": len(findings), "warnings": len(warnings), "files": checked}
    if findings:
        bad_files = len({f.split(":")[0] for f in findings})
        return GradeResult(NAME, False, max(0.0, 1 - bad_files / max(checked, 1)),
                           _summarize(findings, "error"), data=data)
    text = f"{checked} files without errors"
    if warnings:
        text += "; " + _summarize(warnings, "warning")
    return GradeResult(NAME, True, 1.0, text, data=data)


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
