"""What the MCP tools return: typed results (their JSON schemas are the tools' output schemas),
built from the CLI's --json output and kept short. A plan comes back as its summary, its steps
and the paths of its files; the SQL only when asked for (``include_sql``), since the files hold
it and a whole plan's SQL is tens of thousands of characters."""

from __future__ import annotations

from pydantic import BaseModel, Field


class StepResult(BaseModel):
    number: int
    title: str
    phase: str
    transactional: bool = Field(description="runs in one transaction")
    locks: list[str] = Field(description="the locks it takes: 'AccessExclusiveLock on posts'")
    deploy_note: str = Field(description="what code must be deployed before or after it")
    up_file: str | None = Field(None, description="path of the step's up SQL")
    down_file: str | None = Field(None, description="path of the step's down SQL")
    irreversible: str | None = Field(None, description="what its down cannot bring back")
    up_sql: str | None = Field(None, description="with include_sql only")
    down_sql: str | None = Field(None, description="with include_sql only")


class PlanResult(BaseModel):
    summary: str = Field(description="one paragraph: strategy, steps, duration, verification")
    name: str | None = None
    strategy: str | None = Field(None, description="additive, expand_contract or downtime")
    dialect: str | None = None
    breaking: bool | None = Field(None, description="running code breaks without a deploy")
    estimated_seconds: float | None = None
    verified: bool | None = Field(None, description="true: proven up, down, up on a shadow "
                                                    "database; false: failed; null: not run")
    verification: str | None = Field(None, description="the verification's summary")
    out: str | None = Field(None, description="the plan directory (absolute path)")
    plan_md: str | None = Field(None, description="PLAN.md, for a person to review")
    steps: list[StepResult] = Field(default_factory=list, description="in the order to apply")
    code_changes: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    alternative: str | None = Field(None, description="the maintenance-window alternative")
    nothing_to_do: bool = Field(False, description="every operation is already in effect")


class VerifyResult(BaseModel):
    ok: bool
    summary: str
    server: str | None = Field(None, description="the server that ran it: 'PostgreSQL 16.2'")
    problems: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class LintResult(BaseModel):
    summary: str
    results: list[dict] = Field(description=(
        "the findings: file, line, column, rule_id, severity, message, why, safe_rewrite and, "
        "for a file that does not parse, frame"))


def lint_result(data: dict) -> LintResult:
    results = data.get("results") or []
    files = len({f.get("file") for f in results})
    errors = sum(1 for f in results if f.get("severity") == "error")
    return LintResult(results=results, summary=(
        f"{len(results)} finding(s) in {files} file(s), {errors} error(s)" if results
        else "no findings"))


class ColumnInfo(BaseModel):
    name: str
    type: str
    nullable: bool
    default: str | None = None


class TableInfo(BaseModel):
    name: str
    rows: int | None = Field(None, description="row estimate")
    columns: list[ColumnInfo] | list[str] = Field(
        description="full detail for the table asked for; 'name type [NOT NULL]' otherwise")
    primary_key: list[str] = Field(default_factory=list)
    indexes: list[str] = Field(default_factory=list)
    constraints: list[str] = Field(default_factory=list)


class SchemaResult(BaseModel):
    dialect: str
    source: str
    tables: list[TableInfo]
    views: list[str] = Field(default_factory=list)


def plan_result(data: dict, root, include_sql: bool) -> PlanResult:
    """The CLI's ``plan --json`` output, kept to what an assistant acts on."""
    if data.get("nothing_to_do"):
        return PlanResult(summary="Nothing to do: " + "; ".join(data.get("notes") or []),
                          nothing_to_do=True, notes=data.get("notes") or [])
    out = data.get("out")
    steps = []
    for s in data["steps"]:
        locks = list(dict.fromkeys(f"{lk['mode']} on {lk['table']}" for lk in s["expected_locks"]))
        steps.append(StepResult(
            number=s["number"], title=s["title"], phase=s["phase"],
            transactional=s["transactional"], locks=locks, deploy_note=s["deploy_note"],
            up_file=_absolute(s.get("up"), root), down_file=_absolute(s.get("down"), root),
            irreversible=s.get("irreversible"),
            up_sql=s["up_sql"] if include_sql else None,
            down_sql=s["down_sql"] if include_sql else None))
    v = data.get("verification")
    verified = None if v is None else bool(v.get("ok"))
    from migsmith.tools.planning.planner import human_duration

    deploys = sum(1 for s in steps if s.deploy_note.startswith("Before:"))
    summary = (f"{data['name']}: {data['strategy']} plan for {data['dialect']} "
               f"{data.get('target_version', '')}, {len(steps)} step(s)"
               + (f" with {deploys} code deploy(s) between them" if deploys else "")
               + f", about {human_duration(data['estimated_seconds'])} of database work; "
               + ("verified" if verified else "VERIFICATION FAILED" if verified is False
                  else "not verified")
               + (f"; written to {_absolute(out, root)} (read PLAN.md)" if out else
                  "; nothing written"))
    alt = data.get("alternative")
    return PlanResult(
        summary=summary, name=data["name"], strategy=data["strategy"], dialect=data["dialect"],
        breaking=data.get("breaking"), estimated_seconds=data.get("estimated_seconds"),
        verified=verified, verification=v.get("summary") if v else None,
        out=_absolute(out, root), plan_md=_absolute(data.get("docs"), root), steps=steps,
        code_changes=[c["summary"] + (f" ({', '.join(c['references'])})" if c.get("references")
                                      else "") for c in data.get("code_changes") or []],
        notes=data.get("notes") or [],
        alternative=f"{alt['title']}: {alt['downtime']}" if alt else None)


def verify_result(data: dict) -> VerifyResult:
    problems = [p for key in ("errors", "diff", "locks", "data") for p in data.get(key) or []]
    alt = data.get("alternative") or {}
    problems += [f"alternative: {p}" for key in ("errors", "diff", "locks", "data")
                 for p in alt.get(key) or []]
    return VerifyResult(ok=bool(data.get("ok")), summary=data.get("summary", ""),
                        server=data.get("server"), problems=problems,
                        notes=data.get("notes") or [])


def schema_result(schema, table: str | None) -> SchemaResult:
    tables = []
    for t in schema.tables.values():
        if table is not None and t.name != table and t.name.split(".")[-1] != table:
            continue
        if getattr(t, "kind", "table") != "table":
            continue
        full = table is not None
        cols = ([ColumnInfo(name=c.name, type=c.type, nullable=c.nullable, default=c.default)
                 for c in t.columns] if full else
                [f"{c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in t.columns])
        tables.append(TableInfo(
            name=t.name, rows=t.row_estimate, columns=cols, primary_key=list(t.primary_key),
            indexes=[f"{i.name} ({', '.join(i.columns)}){' UNIQUE' if i.unique else ''}"
                     for i in t.indexes] if full else [i.name for i in t.indexes],
            constraints=[f"{c.name}: {c.kind}" for c in t.constraints] if full else []))
    views = [t.name for t in schema.tables.values() if getattr(t, "kind", "table") != "table"]
    return SchemaResult(dialect=schema.dialect, source=str(schema.source or ""), tables=tables,
                        views=views)


def _absolute(path: str | None, root) -> str | None:
    if not path:
        return None
    from pathlib import Path

    p = Path(path)
    return str(p if p.is_absolute() else Path(root) / p)
