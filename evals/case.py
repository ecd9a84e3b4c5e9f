"""Eval cases as data: the model of one case, and loading case files.

A case file (``evals/cases/*.yaml``) holds a ``cases:`` list; each case is a request as people
type it (or a ready spec), the schema it runs against, and what must come out: the spec's
operations (a subset of fields) and properties of the plan, or the refusal it must produce.
A malformed file is reported with its path, the case and the field, and stops the load: a
typo in a case must not quietly shrink the suite.
"""

from __future__ import annotations

import glob as _glob
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from migsmith.tools.errors import MigsmithError

EVALS_DIR = Path(__file__).resolve().parent
REPO_ROOT = EVALS_DIR.parent
CASES_DIR = EVALS_DIR / "cases"
DEFAULT_GLOB = "*.yaml"


class CaseFileError(MigsmithError):
    """A case file that cannot be read or does not describe valid cases."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Expect(_Model):
    # Each entry is a subset of a ChangeSpec operation: only the fields given are compared.
    operations: list[dict[str, Any]] | None = None
    # Subset of ChangeSpec options the spec must carry (e.g. downtime_allowed: true).
    options: dict[str, Any] | None = None
    # Property name -> expected value (true/false, or a value such as strategy: expand_contract).
    properties: dict[str, Any] = Field(default_factory=dict)
    # The run must fail with a clear error containing this text (case-insensitive).
    refused: str | None = None
    # With --verify: the round trip may stop with this text instead of succeeding (a
    # precondition protecting the data, e.g. NULLs left before SET NOT NULL, depending on
    # the sample rows); any other failure still fails.
    verify_may_refuse: str | None = None
    # Upper bound on model turns for LLM runs.
    max_turns: int | None = None

    @model_validator(mode="after")
    def _refusal_is_exclusive(self):
        if self.refused is not None and (self.operations or self.properties):
            raise ValueError("a refused case expects no operations or properties")
        for i, op in enumerate(self.operations or []):
            if not isinstance(op.get("op"), str):
                raise ValueError(f"operations.{i}: each expected operation needs an 'op'")
        return self


class Case(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    request: str | None = None
    # A ready spec (inline object or a JSON file path) instead of a request.
    spec: dict[str, Any] | str | None = None
    dialect: Literal["postgres", "mysql", "sqlite"] = "postgres"
    # A DDL file (relative to evals/schemas/, the repo root or examples/), or inline DDL.
    schema_file: str | None = Field(None, alias="schema")
    schema_ddl: str | None = None
    # What the CLI flags would set: allow_data_loss, downtime_allowed, target_version ...
    options: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    # False: judge the request -> spec step only (the agent's request set), build no plan.
    plan: bool = True
    expect: Expect = Field(default_factory=Expect)
    # Where the case came from: "file.yaml#3", filled by the loader.
    source: str = ""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _shape(self):
        if (self.request is None) == (self.spec is None):
            raise ValueError("give exactly one of 'request' or 'spec'")
        if (self.schema_file is None) == (self.schema_ddl is None):
            raise ValueError("give exactly one of 'schema' (a file) or 'schema_ddl' (inline DDL)")
        e = self.expect
        if not (e.operations is not None or e.options or e.properties or e.refused is not None):
            raise ValueError("expect: say what must come out (operations, options, "
                             "properties or refused)")
        if self.spec is not None and self.expect.operations:
            raise ValueError("expect.operations grades a request; a case with a ready "
                             "'spec' has nothing to match them against")
        return self

    def kinds(self) -> list[str]:
        """Operation kinds this case exercises (for scores per kind)."""
        if self.expect.refused is not None:
            return ["refused"]
        ops = self.expect.operations
        if ops is None and isinstance(self.spec, dict):
            ops = self.spec.get("operations") or []
        if ops is None and isinstance(self.spec, str):
            ops = _spec_file_ops(self.spec)
        return sorted({str(op.get("op")) for op in ops or []}) or ["unknown"]

    def schema_path(self) -> Path | None:
        """The schema file this case names, or None when the file does not exist."""
        if self.schema_file is None:
            return None
        return resolve_path(self.schema_file, (EVALS_DIR / "schemas", REPO_ROOT,
                                               REPO_ROOT / "examples"))


def resolve_path(name: str, bases) -> Path | None:
    p = Path(name)
    if p.is_absolute():
        return p if p.is_file() else None
    for base in bases:
        if (base / p).is_file():
            return base / p
    return None


def _spec_file_ops(name: str) -> list[dict]:
    import json

    path = resolve_path(name, (REPO_ROOT, EVALS_DIR / "specs", EVALS_DIR))
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("operations", []) if path else []
    except (OSError, ValueError, AttributeError):
        return []


_EXCLUSIVE = (("schema", "schema_ddl"), ("request", "spec"))


def _describe(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    return f"field {loc!r}: {msg}" if loc else msg


def load_case_file(path: Path) -> list[Case]:
    """Every case in one YAML file; CaseFileError names the file, the case and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise CaseFileError(f"{path}: not valid YAML{where}: "
                            f"{getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise CaseFileError(f"{path}: a case file is a mapping with a 'cases' list")
    unknown = set(data) - {"cases", "defaults"}
    if unknown:
        raise CaseFileError(f"{path}: unknown top-level field(s): {', '.join(sorted(unknown))}")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise CaseFileError(f"{path}: 'defaults' must be a mapping")
    cases = []
    for i, raw in enumerate(data["cases"]):
        label = f"case {i + 1}"
        if not isinstance(raw, dict):
            raise CaseFileError(f"{path}: {label} is not a mapping")
        if raw.get("id"):
            label += f" ({raw['id']})"
        # A case's own choice of one of a pair overrides the file default for the other.
        merged = {k: v for k, v in defaults.items()
                  if not any(k in pair and (set(pair) - {k}) & set(raw) for pair in _EXCLUSIVE)}
        merged.update(raw)
        try:
            case = Case.model_validate({**merged, "source": f"{path.name}#{i + 1}"})
        except ValidationError as exc:
            raise CaseFileError(f"{path}: {label}: {_describe(exc)}") from None
        unknown_props = set(case.expect.properties) - set(_property_names())
        if unknown_props:
            raise CaseFileError(f"{path}: {label}: field 'expect.properties.{min(unknown_props)}'"
                                f": unknown property; known: {', '.join(_property_names())}")
        cases.append(case)
    return cases


def _property_names() -> list[str]:
    from migsmith.evals.graders.plan_properties import PROPERTIES

    return sorted(PROPERTIES)


def load_cases(pattern: str | None = None, base: Path = CASES_DIR) -> list[Case]:
    """Cases from every file matching ``pattern`` (a glob, relative to evals/cases/ or not).

    Ids must be unique across the files loaded together: reports and --compare key on them.
    """
    pattern = pattern or DEFAULT_GLOB
    paths = sorted(Path(p) for p in _glob.glob(str(base / pattern)))
    if not paths:
        paths = sorted(Path(p) for p in _glob.glob(pattern))
    paths = [p for p in paths if p.is_file()]
    if not paths:
        raise CaseFileError(f"no case files match {pattern!r} (looked in {base} and the "
                            "current directory)")
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in paths:
        for case in load_case_file(path):
            if case.id in seen:
                raise CaseFileError(f"{path}: case id {case.id!r} is used twice "
                                    f"(also in {seen[case.id]})")
            seen[case.id] = case.source
            cases.append(case)
    return cases


REQUESTS_DIR = EVALS_DIR / "requests"


def load_request_cases(pattern: str = "*.jsonl", base: Path = REQUESTS_DIR) -> list[Case]:
    """The agent's request set (evals/requests/*.jsonl, see its README) as eval cases.

    Each line's ``expected`` becomes ``expect.operations``/``options``, or ``expect.refused``
    for ``{"error": ...}``; ids get a ``req-`` prefix and the tag ``requests``, so they never
    collide with the cases in evals/cases/.
    """
    import json

    cases: list[Case] = []
    for path in sorted(base.glob(pattern)):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CaseFileError(f"{path}: cannot read: {exc.strerror}") from None
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except ValueError as exc:
                raise CaseFileError(f"{path}:{n}: not JSON: {exc}") from None
            if not isinstance(raw, dict) or not isinstance(raw.get("expected"), dict):
                raise CaseFileError(f"{path}:{n}: field 'expected': an object with "
                                    "'operations' or 'error' is required")
            exp = raw["expected"]
            expect = ({"refused": exp["error"]} if "error" in exp else
                      {"operations": exp.get("operations"), "options": exp.get("options")})
            try:
                case = Case.model_validate({
                    "id": f"req-{raw.get('id')}", "request": raw.get("request"),
                    "schema": raw.get("schema"), "dialect": raw.get("dialect", "postgres"),
                    "tags": ["requests", f"requests:{path.stem}"], "expect": expect, "plan": False,
                    "source": f"requests/{path.name}:{n}"})
            except ValidationError as exc:
                raise CaseFileError(f"{path}:{n}: {_describe(exc)}") from None
            cases.append(case)
    ids = [c.id for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CaseFileError(f"{base}: request ids used twice: {', '.join(dupes)}")
    return cases


def filter_cases(cases: list[Case], ids: str | None) -> list[Case]:
    """Keep cases whose id or a tag matches one of the comma-separated ``ids`` (globs)."""
    if not ids:
        return cases
    import fnmatch

    wanted = [w.strip() for w in ids.split(",") if w.strip()]
    return [c for c in cases
            if any(fnmatch.fnmatch(c.id, w) or w in c.tags or w == c.dialect for w in wanted)]
