"""Plan properties: what a careful reviewer checks in a migration plan, computed from the Plan.

Each property is a small function ``(plan, case) -> (value, detail)`` in PROPERTIES. A case
lists the ones it expects (``index_concurrent_own_step: true``, ``strategy: expand_contract``);
the score is the share that hold. Properties read the rendered SQL with comments, string
literals and precondition blocks removed, so an error message that *mentions* DROP INDEX does
not count as one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from migsmith.evals.graders.base import GradeResult, RunOutput

NAME = "plan_properties"

_COMMENT = re.compile(r"--[^\n]*")
_STRING = re.compile(r"'(?:[^']|'')*'")
_CHECK_BLOCK = re.compile(r"DO\s+\$check\$.*?\$check\$\s*;", re.S | re.I)
_IDENT = r"[`\"]?([A-Za-z_][\w$]*)[`\"]?"
_QUALIFIED = rf"(?:{_IDENT}\.)?{_IDENT}"


_DEFERRED = re.compile(r"^\s*(ALTER|CREATE|DROP|RENAME|UPDATE|INSERT)\b", re.I)


def code(sql: str | None) -> str:
    """SQL without comments, precondition blocks and string literals (for pattern checks).

    A literal that holds a statement (MySQL plans PREPARE their DDL from a string, so that a
    re-run can skip what is done) is lifted out and kept, after the step's other statements.
    """
    text = _COMMENT.sub("", sql or "")
    text = _CHECK_BLOCK.sub("", text)
    lifted: list[str] = []

    def literal(m: re.Match) -> str:
        body = m.group(0)[1:-1].replace("''", "'")
        if _DEFERRED.match(body):
            lifted.append(body.rstrip().rstrip(";") + ";")
        return "''"

    text = _STRING.sub(literal, text)
    return text + ("\n" + "\n".join(lifted) if lifted else "")


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.I) is not None


def _names(pattern: str, text: str) -> list[str]:
    """The last captured identifier of each match, lower-cased."""
    out = []
    for m in re.finditer(pattern, text, re.I):
        groups = [g for g in m.groups() if g]
        if groups:
            out.append(groups[-1].lower())
    return out


def _steps(plan):
    return plan.steps


# ----------------------------------------------------------------------------- properties

def index_concurrent_own_step(plan, case):
    """Each index build on an existing table runs CONCURRENTLY, outside a transaction, in a
    step that does nothing else (so a failed build leaves nothing half done)."""
    builds = 0
    for s in _steps(plan):
        up = code(s.up_sql)
        if not _has(r"\bCREATE\s+(UNIQUE\s+)?INDEX\b", up) or _has(r"\bCREATE\s+TABLE\b", up):
            continue
        builds += 1
        if not _has(r"\bINDEX\s+CONCURRENTLY\b", up):
            return False, f"step {s.number} builds an index without CONCURRENTLY"
        if s.transactional:
            return False, f"step {s.number} builds an index concurrently inside a transaction"
        other = re.sub(r"\b(CREATE\s+(UNIQUE\s+)?INDEX|ANALYZE|SET|RESET|DROP\s+INDEX\s+"
                       r"CONCURRENTLY)\b[^;]*;", "", up, flags=re.I).strip()
        if other:
            return False, f"step {s.number} also runs: {other.splitlines()[0][:80]}"
    if not builds:
        return False, "no index build on an existing table in the plan"
    return True, f"{builds} index build(s), each concurrent and alone in its step"


def no_concurrently_in_transaction(plan, case):
    for s in plan.all_steps():
        if s.transactional and _has(r"\bCONCURRENTLY\b", code(s.up_sql) + code(s.down_sql)):
            return False, f"step {s.slug} runs CONCURRENTLY inside BEGIN/COMMIT"
    return True, "no CONCURRENTLY inside a transaction"


def not_null_via_validated_check(plan, case):
    """NOT NULL on a populated table: CHECK (col IS NOT NULL) NOT VALID, VALIDATE in a later
    step, and SET NOT NULL (if any) only after validation."""
    added = validated = None
    for s in _steps(plan):
        up = code(s.up_sql)
        if added is None and _has(r"CHECK\s*\(\s*[`\"]?\w+[`\"]?\s+IS\s+NOT\s+NULL\s*\)\s*NOT\s+VALID", up):
            added = s.number
        if added is not None and s.number > added and _has(r"\bVALIDATE\s+CONSTRAINT\b", up):
            validated = validated or s.number
        if _has(r"\bSET\s+NOT\s+NULL\b", up) and (validated is None):
            return False, f"step {s.number} sets NOT NULL before a validated check exists"
    if added is None:
        return False, "no CHECK (... IS NOT NULL) NOT VALID step"
    if validated is None:
        return False, f"the check added in step {added} is never validated in a later step"
    return True, f"check added in step {added}, validated in step {validated}"


def constraints_added_not_valid(plan, case):
    """Every FOREIGN KEY / CHECK added to an existing table is NOT VALID first and validated
    in a later step."""
    pending: dict[str, int] = {}
    seen = 0
    for s in _steps(plan):
        up = code(s.up_sql)
        if _has(r"\bCREATE\s+TABLE\b", up):
            continue
        for m in re.finditer(rf"ADD\s+CONSTRAINT\s+{_IDENT}\s+(FOREIGN\s+KEY|CHECK)\b[^;]*;",
                             up, re.I):
            seen += 1
            if not _has(r"NOT\s+VALID", m.group(0)):
                return False, f"step {s.number} adds {m.group(1)} without NOT VALID"
            pending[m.group(1).lower()] = s.number
        for name in _names(rf"VALIDATE\s+CONSTRAINT\s+{_IDENT}", up):
            if name in pending and pending[name] < s.number:
                pending.pop(name)
    if not seen:
        return False, "no FOREIGN KEY or CHECK constraint added"
    if pending:
        return False, "never validated in a later step: " + ", ".join(sorted(pending))
    return True, f"{seen} constraint(s) added NOT VALID and validated later"


def backfill_batched_commits(plan, case):
    """Backfills run in batches that each commit, never as one UPDATE in one transaction."""
    backfills = [s for s in _steps(plan) if s.backfill is not None]
    for s in _steps(plan):
        if s.transactional and _has(r"\bUPDATE\s+" + _QUALIFIED + r"\s+SET\b", code(s.up_sql)):
            return False, f"step {s.number} updates rows inside one transaction"
    if not backfills:
        return False, "no backfill step"
    for s in backfills:
        up = code(s.up_sql)
        if s.transactional:
            return False, f"backfill step {s.number} runs in one transaction"
        if _hands_off_to_runner(s, up):
            continue  # `migsmith backfill` commits every batch from the client
        if not _has(r"\bCOMMIT\b", up):
            return False, f"backfill step {s.number} has no per-batch COMMIT"
        if not s.backfill.batch_size or not _has(r"\bUPDATE\b", up):
            return False, f"backfill step {s.number} has no batched UPDATE"
    return True, f"{len(backfills)} backfill(s) committing every {backfills[0].backfill.batch_size} rows"


def _hands_off_to_runner(step, up: str) -> bool:
    """The step updates nothing itself and names the client-side batch runner (where the
    server cannot COMMIT inside a block, e.g. PostgreSQL 10)."""
    return (not _has(r"\bUPDATE\b", up) and step.backfill.batch_size > 0
            and "migsmith backfill" in (step.up_sql or ""))


# Pairs (what up does, what down must do). Each pattern captures identifiers; the down
# pattern is filled with them (reversed for renames).
_REVERSALS: list[tuple[str, str, str]] = [
    ("add column", rf"ADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?{_IDENT}",
     r"DROP\s+COLUMN\s+(?:IF\s+EXISTS\s+)?[`\"]?{0}[`\"]?\b"),
    ("create index", rf"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?{_IDENT}",
     r"DROP\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(?:[`\"]?\w+[`\"]?\.)?[`\"]?{0}[`\"]?\b"),
    ("add constraint", rf"ADD\s+CONSTRAINT\s+{_IDENT}",
     r"DROP\s+(?:CONSTRAINT|FOREIGN\s+KEY|CHECK|INDEX|KEY)\s+(?:IF\s+EXISTS\s+)?[`\"]?{0}[`\"]?\b"),
    ("drop constraint", rf"DROP\s+CONSTRAINT\s+(?:IF\s+EXISTS\s+)?{_IDENT}",
     r"ADD\s+CONSTRAINT\s+[`\"]?{0}[`\"]?\b"),
    ("create trigger", rf"CREATE\s+(?:OR\s+REPLACE\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?{_IDENT}",
     r"DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?[`\"]?{0}[`\"]?\b"),
    ("create view", rf"CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?{_QUALIFIED}",
     r"DROP\s+VIEW\s+(?:IF\s+EXISTS\s+)?(?:[`\"]?\w+[`\"]?\.)?[`\"]?{0}[`\"]?\b"),
    ("drop view", rf"DROP\s+VIEW\s+(?:IF\s+EXISTS\s+)?{_QUALIFIED}",
     r"CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(?:[`\"]?\w+[`\"]?\.)?[`\"]?{0}[`\"]?\b"),
    ("set not null", rf"ALTER\s+COLUMN\s+{_IDENT}\s+SET\s+NOT\s+NULL",
     r"ALTER\s+COLUMN\s+[`\"]?{0}[`\"]?\s+DROP\s+NOT\s+NULL"),
    ("drop column", rf"DROP\s+COLUMN\s+(?:IF\s+EXISTS\s+)?{_IDENT}",
     r"ADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?[`\"]?{0}[`\"]?\b"),
]


# What a table rebuild re-creates on the new table (indexes, triggers, views): not new objects.
_REBUILT = {"create index", "create trigger", "create view", "drop view"}


def _temporary_tables(up: str) -> set[str]:
    """Tables an up step creates and renames or drops again (SQLite's rebuild)."""
    created = set(_names(rf"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{_QUALIFIED}", up))
    renamed = set(_names(rf"ALTER\s+TABLE\s+{_QUALIFIED}\s+RENAME\s+TO", up))
    dropped = set(_names(rf"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?{_QUALIFIED}", up))
    return created & (renamed | dropped)


def down_present_and_reversing(plan, case):
    """Every step has a down, and the down undoes what the up created, renamed or dropped
    (unless the step says what it cannot bring back)."""
    for s in _steps(plan):
        if s.down_sql is None or not s.down_sql.strip():
            return False, f"step {s.number} has no down"
        up, down = code(s.up_sql), code(s.down_sql)
        temp = _temporary_tables(up)
        rebuild = bool(temp) and _has(r"\bINSERT\s+INTO\b", up)
        for label, up_pat, down_pat in _REVERSALS:
            for name in _names(up_pat, up):
                if label.startswith("drop") and s.irreversible:
                    continue
                if rebuild and label in _REBUILT:
                    continue  # re-created with the rebuilt table; the down rebuilds it back
                if not _has(down_pat.format(re.escape(name)), down):
                    return False, f"step {s.number}: the down does not undo {label} {name}"
        for name in set(_names(rf"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{_QUALIFIED}", up)) - temp:
            if not _has(rf"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:[`\"]?\w+[`\"]?\.)?[`\"]?{re.escape(name)}[`\"]?\b", down):
                return False, f"step {s.number}: the down does not drop the new table {name}"
        for m in re.finditer(rf"ALTER\s+TABLE\s+{_QUALIFIED}\s+RENAME\s+TO\s+{_QUALIFIED}", up, re.I):
            old, new = m.group(2).lower(), m.group(4).lower()
            if old in temp or new in temp or _has(r"\bINSERT\s+INTO\b", up):
                continue  # part of a table rebuild, whose down is a rebuild of its own
            if not _has(rf"ALTER\s+TABLE\s+(?:[`\"]?\w+[`\"]?\.)?[`\"]?{re.escape(new)}[`\"]?\s+"
                        rf"RENAME\s+TO\s+(?:[`\"]?\w+[`\"]?\.)?[`\"]?{re.escape(old)}[`\"]?", down):
                return False, f"step {s.number}: the down does not rename {new} back to {old}"
        for m in re.finditer(rf"RENAME\s+COLUMN\s+{_IDENT}\s+TO\s+{_IDENT}", up, re.I):
            old, new = m.group(1).lower(), m.group(2).lower()
            if not _has(rf"RENAME\s+COLUMN\s+[`\"]?{re.escape(new)}[`\"]?\s+TO\s+[`\"]?"
                        rf"{re.escape(old)}[`\"]?", down):
                return False, f"step {s.number}: the down does not rename {new} back to {old}"
    return True, f"all {len(plan.steps)} steps have a down that reverses the up"


def strategy(plan, case):
    return plan.strategy, f"strategy {plan.strategy}"


def breaking(plan, case):
    return plan.breaking, "breaking" if plan.breaking else "not breaking"


def checklist_mentions_deploy_order(plan, case):
    """Every step says when to deploy code, the checklist has a deploy item, and when the plan
    contracts, a code deploy comes before the first contract step."""
    for s in _steps(plan):
        if not (s.deploy_note or "").strip():
            return False, f"step {s.number} has no deploy note"
    deploy = [i for i, item in enumerate(plan.checklist) if _has(r"\bdeploy", item)]
    if not deploy and not (plan.code_changes or plan.breaking):
        return True, "no code change needed; every step has a deploy note"
    if not deploy:
        return False, "the checklist never says when to deploy code"
    contract = [s for s in _steps(plan) if s.phase == "contract"]
    if contract:
        first = contract[0]
        idx = next((i for i, item in enumerate(plan.checklist)
                    if (first.up_file and first.up_file in item) or f"Step {first.number}:" in item),
                   None)
        if idx is None:
            return False, f"the checklist does not list contract step {first.number}"
        if not any(i < idx for i in deploy):
            return False, "no code deploy is listed before the first contract step"
    return True, "deploy notes on every step; the checklist orders code deploys"


def alternative_present(plan, case):
    alt = plan.alternative
    if alt is None or not alt.steps:
        return False, "no alternative plan"
    return True, f"alternative: {alt.title} ({len(alt.steps)} step(s))"


_LOCK_SETTING = {"postgres": r"\block_timeout\b", "mysql": r"\block_wait_timeout\b",
                 "sqlite": r"\bbusy_timeout\b"}


def lock_timeout_set(plan, case):
    """Every step (and every down that does something) bounds how long it waits for a lock."""
    pattern = _LOCK_SETTING.get(plan.dialect, _LOCK_SETTING["postgres"])
    for s in _steps(plan):
        for direction, sql in (("up", s.up_sql), ("down", s.down_sql)):
            body = code(sql).strip()
            if body and not _has(pattern, body):
                return False, f"step {s.number} {direction} sets no lock timeout"
    return True, "every step sets a lock timeout"


def statement_timeout_set(plan, case):
    for s in _steps(plan):
        if code(s.up_sql).strip() and not _has(r"\bstatement_timeout\b|\bmax_execution_time\b",
                                               code(s.up_sql)):
            return False, f"step {s.number} sets no statement timeout"
    return True, "every step sets a statement timeout"


def no_destructive_ops(plan, case):
    """No up step drops a table or a column, and no operation is classified destructive."""
    for s in _steps(plan):
        up = code(s.up_sql)
        temp = _temporary_tables(up)
        dropped = set(_names(rf"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?{_QUALIFIED}", up)) - temp
        if _has(r"\bDROP\s+COLUMN\b", up) or (dropped and not _has(r"\bINSERT\s+INTO\b", up)):
            return False, f"step {s.number} drops data"
    bad = [i.operation for i in plan.impacts if i.classification == "destructive"]
    if bad:
        return False, "destructive: " + "; ".join(bad)
    return True, "nothing is dropped"


def preconditions_checked(plan, case):
    missing = [s.number for s in _steps(plan) if not s.checks]
    if missing:
        return False, "steps without preconditions: " + ", ".join(map(str, missing))
    return True, "every step checks its preconditions"


def contract_last(plan, case):
    phases = [s.phase for s in _steps(plan)]
    if "contract" not in phases:
        return False, "no contract step"
    first = phases.index("contract")
    if any(p != "contract" for p in phases[first:]):
        return False, "a non-contract step runs after a contract step"
    return True, f"contract steps {first + 1}..{len(phases)} run last"


def sync_trigger(plan, case):
    for s in _steps(plan):
        if _has(r"\bCREATE\s+(OR\s+REPLACE\s+)?TRIGGER\b", code(s.up_sql)):
            return True, f"step {s.number} keeps old and new in step with a trigger"
    return False, "no trigger keeps old and new columns in step"


def unique_using_index(plan, case):
    """A unique constraint is attached to an index built concurrently, not built under lock."""
    built = attached = False
    for s in _steps(plan):
        up = code(s.up_sql)
        built |= _has(r"CREATE\s+UNIQUE\s+INDEX\s+CONCURRENTLY", up) and not s.transactional
        attached |= built and _has(r"UNIQUE\s+USING\s+INDEX", up)
    if not built:
        return False, "no unique index built concurrently"
    if not attached:
        return False, "the constraint is not added USING INDEX"
    return True, "unique index built concurrently, then attached"


def code_changes_listed(plan, case):
    if not plan.code_changes:
        return False, "no code changes listed"
    return True, f"{len(plan.code_changes)} code change(s) listed"


def all_steps_transactional(plan, case):
    bad = [s.number for s in _steps(plan) if not s.transactional]
    if bad:
        return False, "non-transactional steps: " + ", ".join(map(str, bad))
    return True, "every step runs in a transaction"


def table_rebuild(plan, case):
    """SQLite's 12-step rebuild: new table, copy, drop, rename, foreign_key_check."""
    for s in _steps(plan):
        up = code(s.up_sql)
        if (_has(r"\bCREATE\s+TABLE\b", up) and _has(r"\bINSERT\s+INTO\b[^;]*\bSELECT\b", up)
                and _has(r"\bDROP\s+TABLE\b", up) and _has(r"\bRENAME\s+TO\b", up)):
            if not _has(r"foreign_key_check", up):
                return False, f"step {s.number} rebuilds without PRAGMA foreign_key_check"
            return True, f"step {s.number} rebuilds the table"
    return False, "no table rebuild"


def mysql_algorithm_explicit(plan, case):
    """Every ALTER TABLE / CREATE INDEX names its ALGORITHM, so MySQL refuses rather than
    silently copying the table."""
    seen = 0
    for s in _steps(plan):
        for stmt in code(s.up_sql).split(";"):
            if _has(r"^\s*(ALTER\s+TABLE|CREATE\s+(UNIQUE\s+)?INDEX)\b", stmt):
                seen += 1
                if not _has(r"\bALGORITHM\s*=", stmt):
                    return False, f"step {s.number}: {stmt.strip().splitlines()[0][:80]} names no ALGORITHM"
    if not seen:
        return False, "no ALTER TABLE or CREATE INDEX"
    return True, f"{seen} statement(s) name their ALGORITHM"


PROPERTIES: dict[str, Callable[[Any, Any], tuple[Any, str]]] = {
    fn.__name__: fn for fn in (
        index_concurrent_own_step, no_concurrently_in_transaction, not_null_via_validated_check,
        constraints_added_not_valid, backfill_batched_commits, down_present_and_reversing,
        strategy, breaking, checklist_mentions_deploy_order, alternative_present,
        lock_timeout_set, statement_timeout_set, no_destructive_ops, preconditions_checked,
        contract_last, sync_trigger, unique_using_index, code_changes_listed,
        all_steps_transactional, table_rebuild, mysql_algorithm_explicit,
    )
}


def grade(case, result: RunOutput) -> GradeResult | None:
    wanted = case.expect.properties
    if not wanted:
        return None
    if result.plan is None:
        return GradeResult(NAME, False, 0.0, "no plan was built",
                           data={name: None for name in wanted})
    held, failures, data = 0, [], {}
    for name, want in wanted.items():
        fn = PROPERTIES.get(name)
        if fn is None:  # the loader cannot know the list; say it here, loudly
            failures.append(f"{name}: unknown property")
            continue
        value, detail = fn(result.plan, case)
        data[name] = value
        if value == want:
            held += 1
        else:
            failures.append(f"{name}: expected {want!r}, got {value!r} ({detail})")
    score = held / len(wanted)
    details = "; ".join(failures) if failures else f"all {len(wanted)} properties hold"
    return GradeResult(NAME, not failures, score, details, data=data)
