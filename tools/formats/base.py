"""What every format adapter shares: the target directory it writes into, what it returns,
version numbering after the newest migration already there, and the ways a step's statements
are cut up for a tool (see ``script.py`` for why).

An adapter is pure: a Plan and a ``Target`` (the directory's file names and the contents it
needs, read by the caller) in, a ``Rendered`` (file name -> text) out. Writing goes through
``tools/planning/writer.py``, all files or none.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from migsmith.tools.errors import PlanError
from migsmith.tools.formats.script import (BACKFILL, CHECK, RESET, SETTING, Script, Statement,
                                           step_scripts)
from migsmith.tools.planning.plan import Plan, Step

TEMPLATES = Path(__file__).resolve().parent / "templates"


class FormatError(PlanError):
    """A plan that a format cannot carry: says which step, why, and how to do it by hand."""


@dataclass
class Target:
    """The directory a format writes into, as the caller read it."""

    path: str  # for messages and instructions
    files: dict[str, str] = field(default_factory=dict)  # name -> text, of files directly in it
    now: _dt.datetime = field(default_factory=lambda: _dt.datetime.now(_dt.timezone.utc))
    plan_dir: str = "migsmith/plan"  # where the plain plan (plan.json, PLAN.md) goes
    planner: tuple[str, str] = ("migsmith", "migsmith@localhost")  # sqitch's planner
    app_label: str | None = None  # Django: the app whose migrations/ this is

    def names(self) -> list[str]:
        return sorted(self.files)


@dataclass
class ToolMigration:
    """One migration of the tool, and the step (or part of a step) it carries."""

    step: int
    version: str
    name: str
    files: list[str]
    runs: str  # how the tool runs it: "in the tool's transaction", "outside a transaction" ...
    part: int = 1
    parts: int = 1
    backfill: str | None = None  # "inline", "code", "migsmith backfill"


@dataclass
class Rendered:
    tool: str
    files: dict[str, str]
    migrations: list[ToolMigration]
    replaces: set[str] = field(default_factory=set)  # existing files rewritten (atlas.sum ...)
    run: dict[str, str] = field(default_factory=dict)  # up / down / to a step: commands
    notes: list[str] = field(default_factory=list)
    golden_only: str | None = None  # why the tests cannot run this tool here


def environment(tool: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(TEMPLATES / tool.replace("-", "_"))),
                                    jinja2.FileSystemLoader(str(TEMPLATES / "common"))]),
        autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined)
    env.filters["pystr"] = python_string
    env.filters["comment"] = lambda text, mark="--": "\n".join(
        f"{mark} {line.removeprefix('-- ') if mark != '--' else line}".rstrip()
        for line in str(text).splitlines())
    return env


# ----------------------------------------------------------------------------- names
def migration_name(plan: Plan, step: Step, part: int = 1, parts: int = 1,
                   extra: str = "") -> str:
    """A name unique across plans: the plan's name, the step number (and part), the title."""
    from migsmith.tools.planning.planner import slugify

    number = f"{step.number}{chr(96 + part) if parts > 1 else ''}"
    title = step.slug.split("_", 1)[1] if "_" in step.slug else step.slug
    return slugify(f"{plan.name} {number} {extra or title}", limit=72)


def header_lines(script: Script, tool: str) -> list[str]:
    """The step file's header, with the psql-specific lines replaced for ``tool``."""
    keep = [ln for ln in script.header
            if not ln.startswith(("-- Apply with", "-- Phase:"))]
    return keep


# ----------------------------------------------------------------------------- numbering
_TS = "%Y%m%d%H%M%S"


def is_timestamp(version: str) -> bool:
    if len(version) != 14 or not version.isdigit():
        return False
    try:
        _dt.datetime.strptime(version, _TS)
    except ValueError:
        return False
    return True


def next_versions(existing: list[str], count: int, now: _dt.datetime, *,
                  default: str = "timestamp", width: int = 6) -> list[str]:
    """``count`` versions after the newest of ``existing`` (integer strings), in its scheme:
    UTC timestamps (YYYYMMDDHHMMSS, never before now) or a zero-padded sequence."""
    nums = [v for v in existing if v.isdigit()]
    if nums:
        newest = max(nums, key=int)
        if is_timestamp(newest):
            scheme = "timestamp"
        else:
            scheme, width = "sequence", len(newest) if newest.startswith("0") else 0
    else:
        newest, scheme = None, default
    if scheme == "timestamp":
        start = now.astimezone(_dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        if newest is not None:
            start = max(start, _dt.datetime.strptime(newest, _TS) + _dt.timedelta(seconds=1))
        return [(start + _dt.timedelta(seconds=i)).strftime(_TS) for i in range(count)]
    first = int(newest) + 1 if newest is not None else 1
    return [str(first + i).zfill(width) for i in range(count)]


def versions_in(names: list[str], pattern: str) -> list[str]:
    rx = re.compile(pattern, re.IGNORECASE)
    return [m.group(1) for n in names if (m := rx.match(n))]


def taken(rendered_files: dict[str, str], target: Target, replaces: set[str]) -> None:
    """Refuse names that already exist in the target (nothing is ever written over)."""
    clash = sorted(n for n in rendered_files if n in target.files and n not in replaces)
    if clash:
        raise FormatError(f"{target.path}/{clash[0]} already exists",
                          hint="move it away or plan into another directory")


# ----------------------------------------------------------------------------- cutting up
@dataclass
class Chunk:
    """What one tool migration runs in one direction."""

    statements: list[Statement]
    transactional: bool  # in one transaction (the tool's, or the file's own BEGIN/COMMIT)
    backfill: bool = False  # a batched backfill that migsmith backfill runs, between migrations
    external_check: str | None = None  # SQL that fails while that backfill is not done

    def text(self) -> str:
        return "\n\n".join(s.text() for s in self.statements)


def local_settings(script: Script) -> list[Statement]:
    """The step's timeouts as SET LOCAL (they end with the transaction that holds them)."""
    out = []
    for s in script.statements:
        if s.role == SETTING:
            sql = s.sql if s.sql.upper().startswith("SET LOCAL") else "SET LOCAL" + s.sql[3:]
            out.append(Statement(sql=sql, role=SETTING))
    return out


def one_string_parts(script: Script, plan_dir: str = "PLAN_DIR") -> list[Chunk]:
    """A PostgreSQL step cut into files a tool may send as one query string each.

    A transactional step stays one file. In a non-transactional step every statement commits
    on its own, so each becomes a file of its own: ordinary statements in a transaction with
    the step's timeouts as SET LOCAL; CONCURRENTLY and DO blocks that COMMIT alone (PostgreSQL
    refuses them inside the implicit transaction of a multi-statement string), under the
    connection's own timeouts. A batched backfill is left to ``migsmith backfill``: its file
    only checks that no row is left to do, so the tool stops there until it has run.
    """
    if script.empty:
        return []
    if script.transactional:
        return [Chunk(statements=list(script.statements), transactional=True)]
    settings = local_settings(script)
    parts: list[Chunk] = []
    for st in script.statements:
        if st.role in (SETTING, RESET):
            continue
        if st.role == BACKFILL and script.batched_backfill:
            parts.append(Chunk(statements=[], transactional=True, backfill=True,
                               external_check=pending_check(script, plan_dir)))
        elif st.alone:
            parts.append(Chunk(statements=[st], transactional=False))
        else:
            parts.append(Chunk(statements=settings + [st], transactional=True))
    return parts


def script_parts(script: Script, plan_dir: str = "PLAN_DIR") -> list[Chunk]:
    """``one_string_parts`` for PostgreSQL. MySQL and SQLite steps stay one file that runs
    outside the tool's transaction (their statements commit on their own, or carry their own
    BEGIN ... COMMIT); a backfill the plain plan leaves to ``migsmith backfill`` gets its check."""
    if script.dialect == "postgres":
        return one_string_parts(script, plan_dir)
    parts = [Chunk(statements=list(script.statements), transactional=False)] if not script.empty else []
    if script.batched_backfill and script.backfill_range() is None:
        parts.append(Chunk(statements=[], transactional=False, backfill=True,
                           external_check=pending_check(script, plan_dir)))
    return parts


def pair_parts(up: list[Chunk], down: list[Chunk]) -> list[tuple[Chunk | None, Chunk | None]]:
    """Migrations for a step whose up and down were cut into different numbers of files.

    The tool applies migrations in order and rolls them back in reverse, so part i carries
    up[i] and down[k-1-i]: applying all parts runs up in order, rolling all back runs down in
    order. Roll a step back as a whole (all its parts)."""
    k = max(len(up), len(down), 1)
    out = []
    for i in range(k):
        j = k - 1 - i
        out.append((up[i] if i < len(up) else None, down[j] if j < len(down) else None))
    return out


def pending_check(script: Script, plan_dir: str = "PLAN_DIR") -> str:
    """SQL that fails, naming the command to run, while rows are left to backfill."""
    from migsmith.tools.planning.batches import pending_condition
    from migsmith.tools.spec.identifiers import quote_ident, sql_string

    bf = script.step.backfill
    assert bf is not None
    table = quote_ident(bf.table, script.dialect)
    message = (f"migsmith: rows of {bf.table} still need {bf.column}: run `migsmith backfill "
               f"--db URL {plan_dir}` (step {script.step.number}), then run the migrations again")
    cond = pending_condition(bf, script.dialect)
    if script.dialect == "postgres":
        return (f"DO $pending$\nBEGIN\n  IF EXISTS (SELECT 1 FROM {table} WHERE {cond}) THEN\n"
                f"    RAISE EXCEPTION {sql_string(message)};\n  END IF;\nEND\n$pending$")
    if script.dialect == "sqlite":
        # a false CHECK fails the INSERT; the constraint's name carries the message
        name = quote_ident("migsmith_backfill_pending", "sqlite")
        return (f"CREATE TEMP TABLE IF NOT EXISTS migsmith_pending (c INTEGER CONSTRAINT {name} "
                f"CHECK (c));\nINSERT INTO temp.migsmith_pending VALUES (NOT EXISTS (SELECT 1 "
                f"FROM {table} WHERE {cond}));\nDROP TABLE temp.migsmith_pending;\n-- {message}")
    # MySQL cannot prepare SIGNAL: the message itself is prepared, and the syntax error quotes it
    return (f"SET @migsmith_check = IF(EXISTS (SELECT 1 FROM {table} WHERE {cond}), "
            f"{sql_string(message)}, 'DO 0');\nPREPARE migsmith_check FROM @migsmith_check;\n"
            f"EXECUTE migsmith_check;\nDEALLOCATE PREPARE migsmith_check")


# ----------------------------------------------------------------------------- code tools
@dataclass
class Op:
    """One thing a code migration does: run a statement, or walk a backfill in batches."""

    kind: str  # "sql" or "backfill"
    sql: str = ""
    comment: str = ""


def code_ops(script: Script) -> list[Op]:
    """The statements of a script for a tool that runs code, with a batched backfill replaced
    by a loop that commits per batch (written by the adapter from ``step.backfill``)."""
    ops = []
    span = script.backfill_range() if script.batched_backfill else None
    for i, st in enumerate(script.statements):
        if span and span[0] <= i < span[1]:
            if i == span[0]:
                ops.append(Op("backfill", comment=st.comment))
            continue
        ops.append(Op("sql", st.sql, st.comment))
    if script.batched_backfill and span is None:
        # the plain plan leaves this backfill to `migsmith backfill` (a key it cannot walk in
        # SQL): code can, after the step's preconditions
        at = max((i + 1 for i, o in enumerate(ops) if o.sql and _role(script, o) in (SETTING, CHECK)),
                 default=0)
        ops.insert(at, Op("backfill"))
    return ops


def _role(script: Script, op: Op) -> str:
    return next((s.role for s in script.statements if s.sql == op.sql), "")


def backfill_sql(step: Step, dialect: str, lo: str, hi: str) -> dict[str, str]:
    """The SQL a code loop needs, with ``lo`` and ``hi`` standing for the batch bounds."""
    from migsmith.tools.planning import batches

    bf = batches.validate(step.backfill, dialect)
    return {
        "key_range": batches.key_range_sql(bf, dialect),
        "update_batch": batches.update_batch_sql(bf, lo, hi, dialect),
        "update_first": batches.update_batch_sql(bf, lo, hi, dialect, include_lo=True),
        "next_key": batches.next_key_sql(bf, lo, dialect),
        "next_key_first": batches.next_key_sql(bf, lo, dialect, include_lo=True),
        "integer": bf.key_is_integer, "batch_size": bf.batch_size,
        "pause": bf.pause_ms / 1000, "table": bf.table, "column": bf.column,
    }


def python_string(text: str) -> str:
    """A Python literal of ``text``: a raw triple-quoted string where it can be one."""
    if "\n" not in text and '"' not in text and "\\" not in text:
        return f'"{text}"'
    if "\r" in text or text.endswith("\\"):
        return repr(text)
    for quote in ('"""', "'''"):
        if quote not in text and not text.endswith(quote[0]):
            return f"r{quote}{text}{quote}"
    return repr(text)


def stable_hex(*parts: str, length: int = 12) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:length]


def scripts(plan: Plan) -> list[tuple[Step, Script, Script]]:
    return [(s, *step_scripts(s, plan.dialect)) for s in plan.steps]


def guard_text(plan: Plan, tool: str, forbidden: list[tuple[str, str]]) -> None:
    """Refuse a plan whose SQL holds text the tool would read as its own syntax."""
    for step in plan.steps:
        for direction, sql in (("up", step.up_sql), ("down", step.down_sql)):
            for needle, why in forbidden:
                if needle in "\n".join(ln for ln in sql.splitlines()
                                       if not ln.startswith("-- migsmith:")):
                    raise FormatError(
                        f"step {step.number} ({step.title}) cannot be written for {tool}: its "
                        f"{direction} SQL contains {needle!r}, which {why}",
                        hint=f"write it as plain SQL (--format sql) and run that step by hand "
                             f"with psql -f, or change the value that holds {needle!r}")


def whole_chunk(script: Script) -> Chunk | None:
    """The script as one migration of a tool that sends it statement by statement (or runs
    it in its own transaction when the step is transactional)."""
    if script.empty:
        return None
    return Chunk(statements=list(script.statements), transactional=script.transactional)


def raw_body(script: Script) -> str:
    """The step file without its leading comment header (adapters write their own)."""
    lines = script.raw.splitlines()
    return "\n".join(lines[len(script.header):]).strip("\n")


def chunk_text(chunk: Chunk | None, script: Script, *, explicit_txn: bool = False,
               client_delimiters: bool = False) -> str:
    """The SQL text of ``chunk``: its statements (without BEGIN/COMMIT for a tool that wraps
    the file in its own transaction; with them for one that does not), or the step file's
    own text where the tool's client understands it as is (MySQL DELIMITER lines)."""
    if chunk is None or chunk.backfill:
        return ""
    if client_delimiters and script.dialect != "postgres" and len(chunk.statements) == len(
            script.statements):
        return raw_body(script)
    text = chunk.text()
    if explicit_txn and chunk.transactional and script.dialect == "postgres":
        return f"BEGIN;\n\n{text}\n\nCOMMIT;"
    return text


def runs_text(chunk: Chunk | None, tool_wraps: bool) -> str:
    if chunk is None:
        return ""
    if chunk.backfill:
        return "Checks that migsmith backfill has run (it makes no change itself)."
    if chunk.transactional:
        return ("Runs in the tool's transaction (the step's BEGIN/COMMIT are left to it)."
                if tool_wraps else "Runs in one transaction (its own BEGIN/COMMIT).")
    return "Runs outside a transaction: each statement commits on its own."


LO, HI = "__MIGSMITH_LO__", "__MIGSMITH_HI__"


def code_backfill(step: Step, dialect: str, flavour: str) -> dict | None:
    """The backfill SQL of ``step`` for a code loop, bounds written the way ``flavour``
    binds them: ``sqlalchemy`` (:lo, :hi), ``dbapi`` (%s, Django's cursor), ``tokens``
    (replaced with driver-quoted literals, Rails)."""
    if step.backfill is None or step.backfill.batch_size == 0:
        return None
    bf = backfill_sql(step, dialect, LO, HI)
    for key, value in list(bf.items()):
        if not isinstance(value, str) or key in ("table", "column"):
            continue
        if flavour == "sqlalchemy":
            value = sqlalchemy_text(value).replace(LO, ":lo").replace(HI, ":hi")
        elif flavour == "dbapi":
            value = value.replace("%", "%%").replace(LO, "%s").replace(HI, "%s")
        bf[key] = value
    return bf


_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


def sqlalchemy_text(sql: str) -> str:
    """``sql`` escaped for sqlalchemy.text(), which reads ``:name`` as a bind parameter."""
    return _BIND.sub(r"\\:\1", sql)


def code_guard(plan: Plan, tool: str, extra: list[tuple[str, str]] = ()) -> None:
    guard_text(plan, tool, [(LO, "migsmith uses as a batch bound in generated code"),
                            (HI, "migsmith uses as a batch bound in generated code"), *extra])
