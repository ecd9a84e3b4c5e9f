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
    """Everything the client-side backfill runner needs, without re-reading the spec."""

    table: str
    column: str
    expression: str
    where: str | None = None
    key: list[str]
    key_is_integer: bool
    batch_size: int
    pause_ms: int
    lock_timeout_ms: int
    rows: int | None = None


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


class Alternative(LazyModel):
    """The simple way, with a maintenance window, where one exists."""

    title: str
    summary: str
    downtime: str
    steps: list[Step]


class CodeChange(LazyModel):
    summary: str
    language: str | None = None
    snippet: str | None = None
    references: list[str] = Field(default_factory=list)  # file:line found in the user's code


class MonitoringQuery(LazyModel):
    purpose: str
    sql: str


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
    estimated_seconds: float = 0.0
    breaking: bool = False
    verification: dict | None = None  # filled in by `migsmith verify`

    def all_steps(self) -> list[Step]:
        return self.steps + (self.alternative.steps if self.alternative else [])
