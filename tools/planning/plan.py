"""The Plan: what planning hands to everything after it (writer, verify, backfill, evals, --json).

``plan.json`` in a plan directory is this model serialized. Nothing downstream re-reads the
request; they read this.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from migsmith.tools.lazy_model import LazyModel

from migsmith.tools.spec.changespec import ChangeSpec

Phase = Literal["expand", "backfill", "constrain", "switch", "contract"]
PHASE_ORDER: dict[str, int] = {"expand": 0, "backfill": 1, "constrain": 2, "switch": 3,
                               "contract": 4}


class ExpectedLock(LazyModel):
    table: str
    mode: str  # PostgreSQL lock mode name as pg_locks shows it (AccessExclusiveLock ...)
    statement: str | None = None  # first line of the statement that takes it


class LockInfo(LazyModel):
    mode: str
    blocks_reads: bool
    blocks_writes: bool


class OperationImpact(LazyModel):
    """What the change does to a live database if applied the plain way."""

    operation: str  # human summary of the operation
    op: str
    table: str | None
    statement: str  # the plain statement this impact describes
    lock: LockInfo
    effect: Literal["metadata", "scan", "rewrite", "index_build", "data_update", "create",
                    "destroy", "none"]
    rows: int | None = None
    est_seconds: float | None = None
    classification: Literal["additive", "breaking", "destructive"]
    breaks: list[str] = Field(default_factory=list)  # what running code breaks
    notes: list[str] = Field(default_factory=list)
    algorithm: str | None = None  # MySQL online DDL algorithm/lock (ALGORITHM=INSTANT ...)


class BackfillPlan(LazyModel):
    """Everything the client-side backfill runner needs, without re-reading the spec.

    Sizes are rows per batch (keys per batch for a counted integer key). Plans written before
    adaptive batches carry only ``batch_size`` and ``pause_ms``: their defaults below keep
    those fixed batches."""

    table: str
    column: str
    expression: str
    where: str | None = None
    key: list[str]  # the key the batches walk: one column or several (a composite key)
    key_is_integer: bool  # one integer column: batches are counted key ranges
    batch_size: int  # the first batch
    pause_ms: int  # the least pause between batches
    lock_timeout_ms: int
    rows: int | None = None
    batch_ms: int = 0  # time target per batch; 0: fixed batches of batch_size
    min_batch_size: int = 0  # 0: batch_size
    max_batch_size: int = 0  # 0: batch_size
    max_rows_per_s: int = 0  # 0: no cap
    # Triggers the plan knows will fire on the batches' UPDATE (its own sync trigger and the
    # application's): at run time any other row trigger on UPDATE stops the backfill first.
    known_triggers: list[str] = Field(default_factory=list)
    own_triggers: list[str] = Field(default_factory=list)  # the plan's sync triggers
    # Columns the application's triggers would rewrite on every backfilled row (a "touch
    # updated_at" trigger): kept as they were, in the backfill's own session only.
    keep_columns: list[str] = Field(default_factory=list)
    # MySQL: the table's TIMESTAMP/DATETIME columns, assigned to themselves by the UPDATE. An
    # ON UPDATE CURRENT_TIMESTAMP column would otherwise take the time of the backfill on every
    # row it writes; a column given a value in the UPDATE is not auto-updated.
    restate_columns: list[str] = Field(default_factory=list)
    # Plain sentences for PLAN.md and the step file: which triggers fire, what they write.
    trigger_notes: list[str] = Field(default_factory=list)


class Step(LazyModel):
    number: int
    slug: str
    title: str
    phase: Phase
    transactional: bool
    up_sql: str
    down_sql: str
    up_file: str | None = None
    down_file: str | None = None
    deploy_note: str
    expected_locks: list[ExpectedLock] = Field(default_factory=list)
    checks: list[str] = Field(default_factory=list)  # precondition descriptions
    irreversible: str | None = None  # what the down cannot bring back
    est_seconds: float | None = None
    backfill: BackfillPlan | None = None
    operations: list[int] = Field(default_factory=list)  # indexes into spec.operations
    # The statements each file must hold, as their templates declared them (parse_back.py);
    # the writer checks the rendered text against them. Not part of plan.json.
    up_statements: list[str] | None = Field(None, exclude=True)
    down_statements: list[str] | None = Field(None, exclude=True)


class Dependent(LazyModel):
    """Something in the schema that reads what an operation changes, and what the plan does
    with it (PLAN.md lists them; ``tools/planning/dependents.py`` finds them)."""

    kind: Literal["view", "materialized_view", "trigger", "function", "generated_column",
                  "index", "check", "foreign_key", "referencing_foreign_key", "partition",
                  "policy", "rule"]
    name: str
    on: str  # the table or table.column it reads
    handling: str  # what the plan does with it, in a sentence
    steps: list[int] = Field(default_factory=list)  # the steps that do it (main plan)
    operation: int = 0  # index into spec.operations


class Alternative(LazyModel):
    """The simple way, with a maintenance window, where one exists."""

    title: str
    summary: str
    downtime: str
    steps: list[Step]
    dependents: list[Dependent] = Field(default_factory=list)


class CodeChange(LazyModel):
    summary: str
    language: str | None = None
    snippet: str | None = None
    references: list[str] = Field(default_factory=list)  # file:line found in the user's code


class MonitoringQuery(LazyModel):
    purpose: str
    sql: str


class ToolMigrationInfo(LazyModel):
    """One migration of the tool a plan was written for (``migsmith plan --format``)."""

    step: int
    version: str
    name: str
    files: list[str]
    runs: str
    part: int = 1
    parts: int = 1
    backfill: str | None = None  # inline, code, or "migsmith backfill" (between migrations)


class ToolFormat(LazyModel):
    tool: str
    dir: str  # where the tool's files were written
    migrations: list[ToolMigrationInfo]
    run: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


class Plan(LazyModel):
    format_version: int = 1
    name: str
    created: str
    description: str
    dialect: str
    target_version: str
    strategy: Literal["additive", "expand_contract", "downtime"]
    spec: ChangeSpec
    impacts: list[OperationImpact]
    steps: list[Step]
    alternative: Alternative | None = None
    code_changes: list[CodeChange] = Field(default_factory=list)
    checklist: list[str] = Field(default_factory=list)
    monitoring: list[MonitoringQuery] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    dependents: list[Dependent] = Field(default_factory=list)
    estimated_seconds: float = 0.0
    breaking: bool = False
    verification: dict | None = None  # filled in by `migsmith verify`
    format: ToolFormat | None = None  # the tool's files, when written with --format

    def all_steps(self) -> list[Step]:
        return self.steps + (self.alternative.steps if self.alternative else [])
