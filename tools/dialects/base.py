"""The shared core of every dialect: how a change becomes steps, and how steps become SQL.

Like sqlglot, one class per dialect overrides only what differs. The base class holds the
shared rendering and planning context; the recipes live in ``recipes/`` (one module per kind of
change, in terms of Actions and capability flags), and ``postgres/``, ``mysql/`` and ``sqlite/``
say what their server can do, how long and how hard each statement locks, and supply
templates where their SQL differs (``templates/<dialect>/``, falling back to ``templates/base/``).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from migsmith.tools.errors import SpecError
from migsmith.tools.planning import actions as A
from migsmith.tools.planning import batches as backfill_sql
from migsmith.tools.planning import calibration
from migsmith.tools.planning.parse_back import statement_kind
from migsmith.tools.planning.sqltext import comment_line, delimited, dollar_quoted
from migsmith.tools.planning.plan import (BackfillPlan, Dependent, ExpectedLock, LockInfo,
                                          OperationImpact, Step)
from migsmith.tools.schema.model import Column, Constraint, Index, Schema, Table
from migsmith.tools.spec.changespec import Options, describe_operation
from migsmith.tools.spec.identifiers import bounded_name, quote_ident, sql_string

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# The statements being rendered, as the templates declare them ({% do expect("SET") %} before
# each statement they write); None outside a render (parse_back.py checks the files against it).
_INTENDED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("intended",
                                                                           default=None)


def _expect(*kinds) -> str:
    """Record the statement kinds a template is about to write (lists are spread)."""
    target = _INTENDED.get()
    if target is not None:
        for kind in kinds:
            target.extend(kind if isinstance(kind, (list, tuple)) else [kind])
    return ""


@dataclass(frozen=True)
class Check:
    """A precondition, rendered as SQL that stops the step with ``message`` when it fails."""

    kind: str  # table_exists, table_missing, column_exists, column_missing, index_missing,
    #            no_invalid_index, no_nulls, constraint_exists, constraint_missing, no_duplicates
    table: str
    column: str | None = None
    name: str | None = None
    columns: tuple[str, ...] = ()
    message: str = ""


@dataclass
class StepDraft:
    title: str
    phase: str
    actions: list[A.Action]
    deploy_note: str
    checks: list[Check] = field(default_factory=list)
    est_seconds: float | None = None
    backfill: BackfillPlan | None = None
    irreversible: str | None = None
    transactional: bool | None = None  # None: the dialect decides from the actions
    op_index: int = 0
    # (rule id, reason) pairs for lint findings that are the point of this step, not a slip:
    # rendered as a comment plus file-level squawk-ignore / migsmith:disable directives.
    lint_expect: list[tuple[str, str]] = field(default_factory=list)
    down_lint_expect: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PlanContext:
    schema: Schema  # the state before this operation
    options: Options
    op_index: int
    new_tables: set[str]  # tables created earlier in this plan: no rows, no readers
    operations: tuple = ()  # every operation of the spec, this one at op_index
    # What the recipes found depending on the change, with the drafts that deal with each
    # (numbered once the plan's order is known): PLAN.md's dependents section.
    found: list[tuple[Dependent, list[StepDraft]]] = field(default_factory=list)

    def depend(self, kind: str, name: str, on: str, handling: str, *drafts: StepDraft) -> None:
        if any(d.kind == kind and d.name == name and d.on == on for d, _ in self.found):
            return
        self.found.append((Dependent(kind=kind, name=name, on=on, handling=handling,
                                     operation=self.op_index), list(drafts)))

    def rows(self, table: str) -> int | None:
        if table in self.new_tables or not self.schema.has_table(table):
            return 0  # created by this plan: no rows yet
        return self.schema.table(table).row_estimate

    def null_fill(self, table: str, column: str) -> str | None:
        """For a SET NOT NULL: the default that today's NULLs take, when this spec gave the
        column that default ("make users.name not null default ''"); else None."""
        from migsmith.tools.spec.changespec import default_set_before

        if not default_set_before(self.operations, self.op_index, table, column):
            return None
        return self.schema.table(table).column(column).default


class Dialect:
    name = "base"
    default_version = ""
    transactional_ddl = True
    supports_concurrent_index = False
    supports_not_valid = False
    fast_default_min: tuple[int, ...] | None = None  # version from which ADD COLUMN DEFAULT is free
    supports_triggers_plpgsql = False

    def __init__(self, version: str | None = None):
        self.version_text = version or self.default_version
        self.version = parse_version(self.version_text)
        loader = jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(str(TEMPLATES / self.name)),
            jinja2.FileSystemLoader(str(TEMPLATES / "base")),
        ])
        self.env = jinja2.Environment(loader=loader, autoescape=False, keep_trailing_newline=False,
                                      bytecode_cache=_bytecode_cache(),
                                      extensions=["jinja2.ext.do"],
                                      trim_blocks=True, lstrip_blocks=True,
                                      undefined=jinja2.StrictUndefined)
        self.env.filters["q"] = self.quote
        self.env.filters["lit"] = lambda text: sql_string(text, self.name)
        self.env.filters["qlist"] = lambda cols: ", ".join(self.quote(c) for c in cols)
        self.env.globals["d"] = self
        self.env.globals["migsmith_rules"] = _migsmith_rule_ids()
        self.env.globals["squawk_rules"] = SQUAWK_RULES
        self.env.filters["sequence_of"] = sequence_of
        self.env.filters["key"] = self.key_sql
        self.env.filters["statement"] = lambda t: t.strip() if t.strip().endswith(";") \
            else t.strip() + ";"
        self.env.filters["pg_duration"] = pg_duration
        self.env.globals["batches"] = backfill_sql  # one batch definition for DO block and runner
        from migsmith.tools.planning import triggers as backfill_triggers

        self.env.globals["triggers"] = backfill_triggers
        self.env.tests["identifier"] = lambda v: isinstance(v, str) and _plain(v)
        self.env.globals["expect"] = _expect
        # Text outside identifiers and fragments (parse_back.py, planning/sqltext.py):
        self.env.filters["comment"] = comment_line  # one printable line, after "--"
        self.env.filters["dollar_quoted"] = dollar_quoted  # a $tag$ its body cannot close
        self.env.filters["delimited"] = delimited  # DELIMITER lines around a stored program
        self.env.filters["kind"] = statement_kind

    # ----------------------------------------------------------------- rendering
    def quote(self, name: str) -> str:
        return quote_ident(name, self.name)

    def statement_kinds(self, text: str) -> list[str]:
        """The statements a definition taken from the schema holds (a view, a trigger, a
        materialized view with its indexes), split the way this dialect's client splits them:
        a template re-creating it intends exactly those."""
        from migsmith.tools.planning.parse_back import split

        text = text.strip()
        return [statement_kind(s) for s in split(text if text.endswith(";") else text + ";",
                                                 self.name, "a definition from the schema")]

    def render_action(self, action: A.Action, **extra) -> str:
        return self._render_counted(action.template, action, **extra)[0]

    def _render_counted(self, template_name: str, action: A.Action, **extra
                        ) -> tuple[str, list[str]]:
        """The action's SQL and the statements its template declared; a render nested in
        another (a template calling d.render_action) adds its statements to the outer one."""
        template = self.env.get_template(f"{template_name}.sql.j2")
        mine: list[str] = []
        outer = _INTENDED.get()
        token = _INTENDED.set(mine)
        try:
            text = template.render(a=action, **extra).strip()
        finally:
            _INTENDED.reset(token)
        if outer is not None:
            outer.extend(mine)
        return text, mine

    def _render_file(self, **context) -> tuple[str, list[str]]:
        """step.sql.j2 with ``context``, and the statements it declared."""
        intended: list[str] = []
        token = _INTENDED.set(intended)
        try:
            text = self.env.get_template("step.sql.j2").render(**context)
        finally:
            _INTENDED.reset(token)
        return text, intended

    def has_prelude(self, action: A.Action) -> bool:
        """Whether ``action`` has a part that needs no lock on its table (a trigger's function),
        in ``<action>_prelude.sql.j2``: a transactional step runs it before its locked
        transaction, so the lock covers the DDL alone."""
        try:
            self.env.get_template(f"{action.template}_prelude.sql.j2")
        except jinja2.TemplateNotFound:
            return False
        return True

    def _render_body(self, actions: list[A.Action], transactional: bool
                     ) -> tuple[list[str], list[list[str]], list[str], list[list[str]]]:
        """(prelude, its statements, body, its statements) of a step, each action counted on
        its own and placed by the step; in a transactional step what needs no lock goes first."""
        prelude, prelude_kinds, body, body_kinds = [], [], [], []
        token = _INTENDED.set(None)
        try:
            for action in actions:
                pre = transactional and self.has_prelude(action)
                if pre:
                    text, kinds = self._render_counted(f"{action.template}_prelude", action)
                    prelude.append(text)
                    prelude_kinds.append(kinds)
                text, kinds = self._render_counted(action.template, action, prelude_done=pre)
                body.append(text)
                body_kinds.append(kinds)
        finally:
            _INTENDED.reset(token)
        return prelude, prelude_kinds, body, body_kinds

    def render_check(self, check: Check) -> str:
        return self.env.get_template("check.sql.j2").render(c=check).strip("\n").rstrip()

    def action_in_transaction(self, action: A.Action) -> bool:
        return True

    def expected_locks(self, action: A.Action) -> list[ExpectedLock]:
        return []

    def locks_to_take(self, actions: list[A.Action]) -> list[tuple[str, str]]:
        """(table, LOCK TABLE mode) for the locks that block traffic, to take up front."""
        return []

    def lock_only(self, actions: list[A.Action]) -> set[str]:
        """Tables a step locks up front without their partitions (LOCK TABLE ONLY): those
        whose statements do not reach the partitions themselves."""
        return set()

    def lock_timeout_ms(self, actions: list[A.Action], options: Options, statement_ms: int) -> int:
        """The configured lock_timeout, except where a step only waits in ways that never hold
        up clients (concurrent builds, validation): failing those early gains nothing."""
        return options.lock_timeout_ms

    def statement_timeout_ms(self, draft: StepDraft, options: Options) -> int:
        """Brief DDL gets the configured cap; long builds get ten times their estimate, at
        least ten minutes; backfills are bounded per batch instead (0 = no cap)."""
        if draft.backfill is not None:
            return 0
        if draft.est_seconds and draft.est_seconds > options.statement_timeout_ms / 1000 / 10:
            return max(600_000, int(draft.est_seconds * 10_000))
        return options.statement_timeout_ms

    # What an index key may say beyond its column or expression, per dialect.
    index_key_features: frozenset[str] = frozenset({"desc", "nulls", "collation", "opclass"})

    def index_keys(self, index: Index) -> str:
        """The parenthesized key list of ``index``: each key's column (quoted) or expression
        (parenthesized) with its COLLATE, operator class, DESC and NULLS as the schema had
        them; from the plain column list when the keys are not known."""
        if not index.keys:
            return ", ".join(self.key_sql(c) for c in index.columns)
        out = []
        feats = self.index_key_features
        for k in index.keys:
            text = self.quote(k.column) if k.column else f"({k.expression})"
            if k.collation and "collation" in feats:
                text += " COLLATE " + ".".join(f'"{p}"' for p in k.collation.split("."))
            if k.opclass and "opclass" in feats:
                text += " " + self.quote(k.opclass)
            if k.descending and "desc" in feats:
                text += " DESC"
            if k.nulls and "nulls" in feats:
                text += f" NULLS {k.nulls.upper()}"
            out.append(text)
        return ", ".join(out)

    def key_sql(self, column: str) -> str:
        """An index column (quoted) or expression (parenthesized, as the schema gives it)."""
        return self.quote(column) if _plain(column) else f"({column})"

    def rename_in_expression(self, expression: str | None, old: str, new: str) -> str | None:
        """``expression`` reading column ``new`` where it read ``old`` (through the parse
        tree of the dialect's parser)."""
        if not expression:
            return expression
        import sqlglot
        from sqlglot import exp

        tree = sqlglot.parse_one(expression, read=self.name)
        for column in tree.find_all(exp.Column):
            if column.name == old:
                column.set("this", exp.to_identifier(new, quoted=True))
        return tree.sql(dialect=self.name)

    def index_ref(self, index: Index) -> str:
        """An index's name as DROP INDEX needs it (in the schema of its table)."""
        schema = index.table.split(".")[0] if "." in index.table else None
        return f"{schema}.{index.name}" if schema else index.name

    def backfill_loss(self, op, ctx: PlanContext) -> str | None:
        """What the down of a backfill that replaces values cannot bring back (the spec has
        consented to it: evolve refuses it otherwise); None when it replaces nothing."""
        from migsmith.tools.schema.evolve import backfill_overwrites

        how = backfill_overwrites(op, ctx.schema, self.name)
        if how is None:
            return None
        return (f"the backfill {how}: the values {op.table}.{op.column} held before are gone; "
                "restore them from the backup taken before this step")

    def type_change_loss(self, old: str, new: str) -> str | None:
        """What converting values from type ``old`` to ``new`` drops, in a few words (None:
        nothing). SQLite's own: nothing, since its type affinity converts a stored value only
        when the conversion is lossless; PostgreSQL and MySQL say otherwise."""
        return None

    def placeholder(self, type_text: str) -> str:
        """A value of ``type_text`` used only to restore NOT NULL on a re-created column."""
        base = type_text.lower()
        if is_integer_type(base) or base.startswith(("numeric", "decimal", "real", "double", "float")):
            return "0"
        if base.startswith("bool"):
            return "false"
        if base.startswith(("timestamp", "date")):
            return "'epoch'"
        if base.startswith("uuid"):
            return "'00000000-0000-0000-0000-000000000000'"
        if base.startswith("json"):
            return "'{}'"
        return "''"

    def render_step(self, draft: StepDraft, number: int, total: int, options: Options,
                    slug: str, header: dict | None = None) -> Step:
        up_actions = draft.actions
        down_actions = [inv for act in reversed(up_actions) for inv in act.inverse()]
        txn = draft.transactional
        if txn is None:
            txn = self.transactional_ddl and all(self.action_in_transaction(a) for a in up_actions)
        down_txn = self.transactional_ddl and all(self.action_in_transaction(a)
                                                  for a in down_actions)
        losses = ([draft.irreversible] if draft.irreversible else []) + [
            n for a in up_actions for n in [a.loss_note()] if n]
        timeout = self.statement_timeout_ms(draft, options)
        up_locks = self.locks_to_take(up_actions) if txn else []
        down_locks = self.locks_to_take(down_actions) if down_txn else []
        common = dict(number=number, total=total, title=draft.title, phase=draft.phase,
                      header=header or {"name": slug, "created": "", "description": ""},
                      options=options, statement_timeout_ms=timeout, deploy_note=draft.deploy_note)
        up_prelude, up_prelude_kinds, up_body, up_kinds = self._render_body(up_actions, txn)
        down_prelude, down_prelude_kinds, down_body, down_kinds = self._render_body(
            down_actions, down_txn)
        up_sql, up_intended = self._render_file(
            direction="up", transactional=txn, checks=[self.render_check(c) for c in draft.checks],
            body=up_body, body_kinds=up_kinds, prelude=up_prelude, prelude_kinds=up_prelude_kinds,
            losses=[], lint_expect=draft.lint_expect + _recreated_views(up_actions),
            take_locks=up_locks,
            lock_only=self.lock_only(up_actions),
            lock_timeout_ms=self.lock_timeout_ms(up_actions, options, timeout), **common)
        down_sql, down_intended = self._render_file(
            direction="down", transactional=down_txn, checks=[],
            body=down_body, body_kinds=down_kinds, prelude=down_prelude,
            prelude_kinds=down_prelude_kinds, losses=losses,
            lint_expect=draft.down_lint_expect + _recreated_views(down_actions),
            take_locks=down_locks,
            lock_only=self.lock_only(down_actions),
            lock_timeout_ms=self.lock_timeout_ms(down_actions, options, timeout), **common)
        locks = [lock for a in up_actions for lock in self.expected_locks(a)]
        return Step(number=number, slug=slug, title=draft.title, phase=draft.phase,
                    transactional=txn, up_sql=up_sql.strip() + "\n",
                    down_sql=down_sql.strip() + "\n", deploy_note=draft.deploy_note,
                    expected_locks=locks, checks=[c.message for c in draft.checks],
                    irreversible="; ".join(losses) or None, est_seconds=draft.est_seconds,
                    backfill=draft.backfill, operations=[draft.op_index],
                    up_statements=up_intended, down_statements=down_intended)

    # ----------------------------------------------------------------- planning
    def _remember_partitions(self, ctx: PlanContext) -> None:
        """The partitions below each partitioned table, for the locks a statement on the
        parent takes on them (recorded while planning: actions carry table names only)."""
        tree = getattr(self, "partitions", None)
        if tree is None:
            tree = self.partitions = {}
        for table in ctx.schema.tables.values():
            if table.partitioning:
                tree[table.name] = tuple(p.name for p in ctx.schema.descendants(table.name))

    def plan_operation(self, op, ctx: PlanContext) -> list[StepDraft]:
        self._remember_partitions(ctx)
        drafts = getattr(self, f"plan_{op.op}")(op, ctx)
        for d in drafts:
            d.op_index = ctx.op_index
        return drafts

    def simple_actions(self, op, ctx: PlanContext) -> list[A.Action]:
        """The plain statements for ``op`` (what a maintenance-window plan runs)."""
        self._remember_partitions(ctx)
        return getattr(self, f"simple_{op.op}")(op, ctx)

    def has_alternative(self, op, ctx: PlanContext) -> bool:
        """Whether a simpler plan with downtime exists that differs from the safe one."""
        return op.op in ("rename_column", "rename_table", "alter_column_type", "set_not_null",
                         "add_foreign_key", "add_check_constraint", "add_unique_constraint",
                         "add_index", "backfill") and ctx.rows(op.table) != 0

    def seconds(self, kind: str, rows: int | None) -> float:
        return calibration.seconds(self.name, kind, rows)

    # helpers shared by the recipes -----------------------------------------
    @staticmethod
    def column_model(col) -> Column:
        return Column(name=col.name, type=col.type, nullable=col.nullable, default=col.default)

    def table_model(self, op) -> Table:
        pk = op.pk_columns()
        table = Table(name=op.table, columns=[
            Column(name=c.name, type=c.type, nullable=c.nullable and c.name not in pk,
                   default=c.default) for c in op.columns], row_estimate=0)
        if pk:
            name = bounded_name(op.table.split(".")[-1], suffix="pkey", dialect=self.name)
            table.constraints.append(Constraint(name=name, table=op.table, kind="primary_key",
                                                columns=pk, index=name))
        return table

    def backfill_plan(self, table: Table, column: str, expression: str, where: str | None,
                      options: Options, rows: int | None, *, schema=None,
                      own_triggers: tuple[str, ...] = ()) -> BackfillPlan:
        """The batches of a backfill of ``table.column``: the key they walk (any orderable key,
        composite too), the adaptive sizes, and what the table's row triggers will do."""
        from migsmith.tools.planning import triggers

        key = table.batch_key()
        if not key:
            raise SpecError(
                f"table {table.name!r} has no primary key or unique NOT NULL key to batch on",
                hint="add a primary key first, or run the update in a maintenance window")
        integer = len(key) == 1 and is_integer_type(table.column(key[0]).type)
        floor, start, ceiling = backfill_sql.adaptive_sizes(options.batch_size, options.batch_ms)
        fired = triggers.plan_triggers(
            triggers.from_schema(schema, table) if schema is not None else [], table.name,
            column, [c.name for c in table.columns], list(own_triggers), rows,
            protected=tuple(k.lower() for k in key), can_guard=self.name == "postgres")
        return BackfillPlan(table=table.name, column=column, expression=expression, where=where,
                            key=key, key_is_integer=integer, batch_size=start,
                            min_batch_size=floor, max_batch_size=ceiling,
                            batch_ms=options.batch_ms, pause_ms=options.batch_pause_ms,
                            max_rows_per_s=options.max_rows_per_s,
                            lock_timeout_ms=options.lock_timeout_ms, rows=rows,
                            known_triggers=[t for t in fired.known if t not in own_triggers],
                            own_triggers=list(own_triggers), keep_columns=fired.keep,
                            restate_columns=self.restate_columns(table, column),
                            trigger_notes=fired.notes)

    def restate_columns(self, table: Table, column: str) -> list[str]:
        """Columns a backfill's UPDATE assigns to themselves (MySQL's ON UPDATE columns)."""
        return []

    def backfill_action(self, bf: BackfillPlan) -> A.Backfill:
        return A.Backfill(table=bf.table, column=bf.column, expression=bf.expression,
                          where=bf.where, key=tuple(bf.key), key_is_integer=bf.key_is_integer,
                          batch_size=bf.batch_size, pause_ms=bf.pause_ms, batch_ms=bf.batch_ms,
                          min_batch_size=bf.min_batch_size, max_batch_size=bf.max_batch_size,
                          max_rows_per_s=bf.max_rows_per_s,
                          known_triggers=tuple(bf.known_triggers),
                          own_triggers=tuple(bf.own_triggers),
                          keep_columns=tuple(bf.keep_columns),
                          restate_columns=tuple(bf.restate_columns),
                          trigger_notes=tuple(bf.trigger_notes))

    def impact(self, op, ctx: PlanContext) -> OperationImpact:
        raise NotImplementedError

    def monitoring(self, plan) -> list:
        return []

    def lock_info(self, mode: str) -> LockInfo:
        return LockInfo(mode=mode, blocks_reads=False, blocks_writes=False)

    def describe(self, op) -> str:
        return describe_operation(op)


def _recreated_views(actions: list[A.Action]) -> list[tuple[str, str]]:
    """A view dropped by a step that re-creates it (around a change to what it reads) is no
    slip: say so where the linters look."""
    made = {a.name for a in actions if isinstance(a, (A.DefineObject, A.RenameView))}
    made |= {a.new_name for a in actions if isinstance(a, A.RenameView)}
    if any(isinstance(a, A.DropObject) and a.kind in ("view", "materialized_view")
           and a.name in made for a in actions):
        return [("ban-drop-view", "the views it drops are re-created in this step from their "
                 "definitions, around the change to what they read")]
    return []


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates cached on disk: compiling them costs more than planning itself, and a
    one-shot CLI run would otherwise pay it every time."""
    import os

    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(root, "migsmith", "jinja")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(directory)


# Squawk's rule ids (squawk 2.x), for squawk-ignore directives on findings a step intends.
SQUAWK_RULES = frozenset({
    "adding-field-with-default", "adding-foreign-key-constraint", "adding-not-nullable-field",
    "adding-required-field", "adding-serial-primary-key-field", "ban-char-field",
    "ban-concurrent-index-creation-in-transaction", "ban-drop-column", "ban-drop-constraint",
    "ban-drop-database", "ban-drop-default", "ban-drop-function", "ban-drop-not-null",
    "ban-drop-table", "ban-drop-view", "changing-column-type", "constraint-missing-not-valid",
    "disallowed-unique-constraint", "prefer-robust-stmts", "renaming-column", "renaming-object",
    "renaming-table",
    "require-concurrent-index-creation", "require-concurrent-index-deletion",
})


def _migsmith_rule_ids() -> frozenset[str]:
    """Ids of migsmith's own lint rules (a disable directive naming an unknown id is an error).

    Read from the rule modules' file names (one rule per module, named after its id) rather
    than by importing the linter, which would triple the start-up time of `migsmith plan`."""
    rules = TEMPLATES.parent / "lint" / "rules"
    return frozenset(p.stem.replace("_", "-") for p in rules.glob("*.py")
                     if not p.stem.startswith("_"))


def pg_duration(ms: int) -> str:
    """A duration setting as a person writes it: 500ms, 60s, 10min (0 means no limit)."""
    if ms and ms % 60_000 == 0 and ms >= 600_000:
        return f"{ms // 60_000}min"
    if ms and ms % 1000 == 0:
        return f"{ms // 1000}s"
    return f"{ms}ms" if ms else "0"


def sequence_of(default: str | None) -> str | None:
    """The sequence a serial column's default draws from (nextval('users_id_seq'::regclass))."""
    import re

    match = re.match(r"nextval\('([A-Za-z_][A-Za-z0-9_.$]*)'", default or "")
    return match.group(1) if match else None


def parse_version(text: str) -> tuple[int, ...]:
    digits = []
    for part in text.replace("mariadb-", "").split("."):
        num = "".join(ch for ch in part if ch.isdigit())
        if not num:
            break
        digits.append(int(num))
    return tuple(digits) or (0,)


INTEGER_TYPES = {"smallint", "integer", "bigint", "int", "int2", "int4", "int8", "tinyint",
                 "mediumint", "serial", "bigserial"}


def is_integer_type(type_text: str) -> bool:
    base = type_text.lower().split("(")[0].replace(" unsigned", "").strip()
    return base in INTEGER_TYPES


def _plain(column: str) -> bool:
    return column.replace("_", "a").replace("$", "a").isalnum() and not column[0].isdigit()


def index_for(op, table: str) -> Index:
    return Index(name=op.name, table=table, columns=list(op.columns), unique=op.unique,
                 where=op.where, method=op.method)
