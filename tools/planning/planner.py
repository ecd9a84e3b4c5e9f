"""Spec + schema -> Plan. The one entry point of the pure core.

Order of work: check every operation against the schema (evolve), measure its impact, let the
dialect choose the steps (one safe step for additive changes, expand/contract for breaking
ones), render each step's up and down, then add what a person needs around the SQL: the simple
downtime alternative, code changes, checklist and monitoring.
"""

from __future__ import annotations

import datetime as _dt
import re

from migsmith.tools.planning import calibration
from migsmith.tools.dialects import get_dialect
from migsmith.tools.dialects.base import PlanContext, StepDraft
from migsmith.tools.errors import NothingToDo, SpecError
from migsmith.tools.planning.plan import Alternative, Plan, Step
from migsmith.tools.planning.sqltext import comment_line
from migsmith.tools.schema.evolve import apply, evolve
from migsmith.tools.schema.model import Schema
from migsmith.tools.spec.changespec import ChangeSpec, describe_operation


_ASIDE = re.compile(r"\s*\([^()]*\)")  # "(scans, does not block)", "(12-step table rebuild)"
_TAIL = re.compile(r",.*$|;.*$|\s+(?:using|then|that|which|each)\b.*$")
_FILLER = {"the", "a", "an", "its", "it"}
# A phrase may end before these words and still say what it does ("drop index x | on the old
# column"); a slug is cut only there, never mid-phrase.
_BREAKS = {"and", "on", "in", "of", "to", "onto", "with", "that", "for", "from", "where", "by"}


def slugify(text: str, limit: int = 48) -> str:
    """A file-name handle for a step title: whole words, a whole phrase, at most ``limit``.

    Asides in parentheses and trailing clauses go first, then filler words; a phrase still too
    long ends before its last connecting word that fits ("set NULL users.name to its default
    in batches of 1000" -> set_null_users_name_to_default)."""
    phrase = _TAIL.sub("", _ASIDE.sub("", text))
    words = [w for w in re.sub(r"[^a-z0-9]+", " ", phrase.lower()).split() if w not in _FILLER]
    while len("_".join(words)) > limit:
        cut = max((i for i, w in enumerate(words) if w in _BREAKS and i > 0
                   and len("_".join(words[:i])) <= limit), default=None)
        if cut is None:  # no connecting word early enough: keep the words that fit
            fit = [w for i, w in enumerate(words) if len("_".join(words[:i + 1])) <= limit]
            words = fit or [words[0][:limit]]
            break
        words = words[:cut]
    return "_".join(words) or "step"


def build_plan(spec: ChangeSpec, schema: Schema, *, created: str | None = None) -> Plan:
    options = spec.options
    if schema.dialect != options.dialect:
        raise SpecError(f"the schema is {schema.dialect} but the spec targets {options.dialect}",
                        hint="pass --dialect to match the schema, or load the right schema")
    # the target: the spec's, else the server the schema came from, else the dialect's default
    from_schema = None if options.target_version else schema.server_major()
    dialect = get_dialect(options.dialect, options.target_version or from_schema)
    evolution = evolve(schema, spec)
    if not evolution.operations:
        raise NothingToDo(evolution.notes)
    ops = evolution.operations
    spec = spec.model_copy(update={"operations": ops})

    state = schema.fork()
    new_tables: set[str] = set()
    drafts: list[StepDraft] = []
    simple: list[StepDraft] = []
    impacts = []
    alternative_exists = False
    found_safe, found_simple = [], []
    no_alternative: list[str] = []
    for i, op in enumerate(ops):
        # Each operation plans against its own fork: actions keep references to schema
        # objects, and applying later operations (which copy what they change) must not
        # change them after the fact.
        ctx = PlanContext(state.fork(), options, i, new_tables, tuple(ops))
        impacts.append(dialect.impact(op, ctx))
        alternative_exists |= dialect.has_alternative(op, ctx)
        try:
            simple_actions = dialect.simple_actions(op, ctx)
        except SpecError as exc:  # no plain statement does it: no alternative, unless asked for
            if options.downtime_allowed:
                raise
            no_alternative.append(f"{describe_operation(op)}: {exc}")
            simple_actions = []
        found_simple += ctx.found
        ctx.found = []
        simple.append(StepDraft(title=describe_operation(op), phase="expand",
                                actions=simple_actions, deploy_note="", op_index=i))
        safe = dialect.plan_operation(op, ctx)
        drafts.extend(safe)
        found_safe += ctx.found
        apply(state, op, options)

    breaking = any(imp.classification != "additive" for imp in impacts)
    if options.downtime_allowed and breaking:
        strategy = "downtime"
        drafts = _group_simple(dialect, simple, downtime=True)
        found_safe = found_simple
    else:
        # Anything that breaks running code needs deploys coordinated around its steps.
        strategy = "expand_contract" if breaking else "additive"
        # Contract steps wait for the code deploy: run every expand first, then every contract.
        drafts = ([d for d in drafts if d.phase != "contract"]
                  + [d for d in drafts if d.phase == "contract"])

    name = spec.migration_name()
    created = created or _dt.date.today().isoformat()
    # Comment text: one printable line, so nothing in it can end the "--" comment it goes in.
    description = comment_line(spec.description or "; ".join(describe_operation(op) for op in ops))
    header = {"name": name, "created": created, "description": description}
    steps = _render(dialect, drafts, options, header)

    alternative = None
    if strategy == "expand_contract" and alternative_exists and not no_alternative:
        alt_drafts = _group_simple(dialect, simple, downtime=True)
        alt_steps = _render(dialect, alt_drafts, options, header, prefix="alt")
        pause = sum(imp.est_seconds or 0 for imp in impacts)
        alternative = Alternative(
            title="Simple plan with a maintenance window",
            summary=("Run the plain statements while the application is stopped (or read-only), "
                     "then deploy the code that uses the new schema at once."),
            downtime=(f"about {_human(pause)} of locked tables on the estimated row counts, plus "
                      "the deploy; every statement holds its lock until its transaction ends"),
            steps=alt_steps, dependents=_dependents(found_simple, alt_drafts, by_operation=True))

    plan = Plan(name=name, created=created, description=description, dialect=options.dialect,
                target_version=dialect.version_text, strategy=strategy, spec=spec,
                impacts=impacts, steps=steps, alternative=alternative, breaking=breaking,
                dependents=_dependents(found_safe, drafts,
                                       by_operation=strategy == "downtime"))
    plan.estimated_seconds = round(sum(s.est_seconds or calibration.seconds(
        options.dialect, "ddl", None) for s in steps), 3)
    from migsmith.tools.planning.docs import checklist, code_changes, plan_notes

    plan.code_changes = code_changes(plan, schema)
    plan.checklist = checklist(plan)
    plan.monitoring = dialect.monitoring(plan)
    plan.notes = [comment_line(n) for n in evolution.notes + plan_notes(plan, schema) + [
        f"No maintenance-window alternative: {why}" for why in no_alternative]]
    if from_schema:
        origin = "its database" if "://" in (schema.source or "") else "its pg_dump header"
        plan.notes.append(f"Planned for PostgreSQL {from_schema}, the server the schema comes "
                          f"from ({origin}); give options.target_version (--target-version) "
                          "to plan for another.")
    return plan


def _dependents(found, drafts: list[StepDraft], *, by_operation: bool = False) -> list:
    """The recorded dependents with the numbers of the steps that deal with each: the drafts
    named when they were recorded, or (``by_operation``: plain statements, grouped) the steps
    that run their operation."""
    out = []
    for dep, named in found:
        if by_operation:
            numbers = [n for n, d in enumerate(drafts, 1) if d.op_index == dep.operation]
        else:
            numbers = [n for n, d in enumerate(drafts, 1) if any(d is x for x in named)]
        out.append(dep.model_copy(update={"steps": numbers}))
    return out


def _group_simple(dialect, simple: list[StepDraft], *, downtime: bool) -> list[StepDraft]:
    """Merge plain statements into as few transactional steps as the dialect allows."""
    out: list[StepDraft] = []
    for draft in simple:
        txn = all(dialect.action_in_transaction(a) for a in draft.actions)
        prev = out[-1] if out else None
        prev_txn = prev is not None and all(dialect.action_in_transaction(a) for a in prev.actions)
        if prev and txn and prev_txn and dialect.transactional_ddl:
            prev.actions.extend(draft.actions)
            prev.title = f"{prev.title}; {draft.title}"
        else:
            out.append(StepDraft(title=draft.title, phase="expand", actions=list(draft.actions),
                                 deploy_note=draft.deploy_note, op_index=draft.op_index))
    for d in out:
        d.deploy_note = ("Maintenance window: stop writes first; deploy the code that uses the "
                         "new schema right after this step." if downtime else d.deploy_note)
    return out


def _render(dialect, drafts: list[StepDraft], options, header: dict, prefix: str = "") -> list[Step]:
    steps = []
    total = len(drafts)
    for n, draft in enumerate(drafts, start=1):
        draft.title = comment_line(draft.title)
        draft.deploy_note = comment_line(draft.deploy_note)
        draft.irreversible = comment_line(draft.irreversible) if draft.irreversible else None
        draft.lint_expect = [(rule, comment_line(why)) for rule, why in draft.lint_expect]
        draft.down_lint_expect = [(rule, comment_line(why)) for rule, why in draft.down_lint_expect]
        slug = f"{prefix + '_' if prefix else ''}{n:03d}_{slugify(draft.title)}"
        steps.append(dialect.render_step(draft, n, total, options, slug, header))
    return steps


def _human(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


human_duration = _human
