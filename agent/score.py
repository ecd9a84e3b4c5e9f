"""Score a model backend on request cases: ``python -m migsmith.agent.score``.

Each line of ``evals/requests/*.jsonl`` (or of any ``--file``) is one case (format:
evals/requests/README.md). A request becomes a spec; the operations already in effect on the
schema are left out the way the planner leaves them out (``tools/schema/evolve.py``), and what
remains is compared with the case:

- ``--match fields`` (the request evals): the operations in order, every field the case gives
  equal (fields it leaves out are not compared), and the options likewise;
- ``--match keys`` (the real-world corpus): the operations as a multiset of (op, table,
  columns, new name, type), whatever their order and other fields.

An ``error`` case passes when no spec comes out (a refusal, or nothing left to do) and the
message contains the expected words. Every case ends right, refused (no spec) or wrong (a spec
that is not the expected one, or one where a refusal was expected). ``--summary`` prints only
those counts (overall, single vs several changes, by dialect): it is how a held-out set is
scored without reading its cases.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from migsmith.tools.errors import MigsmithError, NothingToDo

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class CaseResult:
    id: str
    passed: bool
    detail: str
    seconds: float
    verdict: str = "right"  # right, refused or wrong
    dialect: str = "postgres"
    changes: int = 0  # expected operations (0 for an error case)


def load_cases(path: Path) -> list[dict]:
    """The cases of one .jsonl file, or of every .jsonl file in a directory."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    cases = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    case = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MigsmithError(f"{file}:{number}: malformed JSON: {exc.msg}") from None
                case.setdefault("_source", f"{file.name}:{number}")
                case.setdefault("_dir", str(file.parent))
                cases.append(case)
    return cases


def matches(expected, actual) -> bool:
    """Every field in ``expected`` equals the one in ``actual`` (dicts compared partially)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(matches(v, actual.get(k)) for k, v in expected.items())
    if isinstance(expected, list):
        return (isinstance(actual, list) and len(expected) == len(actual)
                and all(matches(e, a) for e, a in zip(expected, actual)))
    if isinstance(expected, str) and isinstance(actual, str):
        return " ".join(expected.split()).lower() == " ".join(actual.split()).lower()
    return expected == actual


def op_key(op: dict, dialect: str) -> tuple:
    """What the corpus scores of one operation: op, table, columns, new name and type (types
    compared as the planner prints them); for a dropped index or constraint, its name."""
    from migsmith.tools.spec.expressions import check_type

    column = op.get("column")
    columns = [column["name"] if isinstance(column, dict) else column] if column else []
    columns += list(op.get("columns") or [])
    if op["op"] == "create_table":  # a new table's columns: names and types
        columns = [f"{c['name']} {c.get('type', '')}" for c in op.get("columns") or []]
    kind = op.get("new_type") or (column.get("type") if isinstance(column, dict) else None)
    if kind:
        try:
            kind = check_type(kind, dialect)
        except MigsmithError:
            pass
    low = lambda v: " ".join(str(v).split()).lower() if v is not None else None  # noqa: E731
    if op["op"] in ("drop_index", "drop_constraint"):  # what is dropped is the one so named
        return (op["op"], None if op["op"] == "drop_index" else low(op.get("table")), (low(op.get("name")),), None, None)
    return (op["op"], low(op.get("table")), tuple(low(c) for c in columns),
            low(op.get("new_name")), low(kind))


def _schema(case: dict, schemas: dict):
    from migsmith.tools.schema import load_schema

    dialect = case.get("dialect", "postgres")
    path = next((p for p in (Path(case["_dir"]) / case["schema"], ROOT / case["schema"])
                 if p.is_file()), ROOT / case["schema"])
    key = (str(path), dialect)
    if key not in schemas:
        schemas[key] = load_schema(str(path), dialect)
    return schemas[key], dialect


def run_case(case: dict, model: str, schemas: dict, match: str = "fields") -> CaseResult:
    from migsmith.agent.runner import request_to_spec
    from migsmith.tools.schema.evolve import settle

    expected = case["expected"]
    changes = len(expected.get("operations") or [])
    started = time.perf_counter()
    result = lambda passed, verdict, detail: CaseResult(  # noqa: E731
        case["id"], passed, detail, time.perf_counter() - started, verdict,
        case.get("dialect", "postgres"), changes)
    try:
        schema, dialect = _schema(case, schemas)
        spec = request_to_spec(case["request"], schema, model=model, dialect=dialect).spec
        consented = spec.options.model_copy(update={"allow_data_loss": True})  # judged here
        settled, notes = settle(schema, spec.model_copy(update={"options": consented}))
        if settled is None:
            raise NothingToDo(notes)
    except MigsmithError as exc:
        if "error" in expected and expected["error"].lower() in str(exc).lower():
            return result(True, "right", str(exc))
        return result(False, "refused", f"error: {exc}")
    except Exception as exc:  # a crash is a refusal here; its details stay out of --summary
        return result(False, "refused", f"crash: {type(exc).__name__}: {exc}")
    got = settled.model_dump(mode="json", exclude_none=True)
    ops = got["operations"]
    if "error" in expected:
        return result(False, "wrong", f"expected an error, got {ops}")
    if match == "keys":
        ok = (Counter(op_key(o, dialect) for o in expected["operations"])
              == Counter(op_key(o, dialect) for o in ops))
    else:
        ok = matches(expected["operations"], ops) and matches(
            expected.get("options", {}), spec.options.model_dump(mode="json"))
    return result(ok, "right" if ok else "wrong",
                  "" if ok else f"got {json.dumps(ops)} options "
                                f"{json.dumps(spec.options.model_dump(mode='json'))}")


def score(path: Path, model: str = "offline", match: str = "fields") -> list[CaseResult]:
    schemas: dict = {}
    return [run_case(case, model, schemas, match) for case in load_cases(path)]


def summary(results: list[CaseResult]) -> dict:
    """Counts only: nothing that names or shows a case."""
    def counts(rs):
        c = Counter(r.verdict for r in rs)
        return {"cases": len(rs), "right": c["right"], "refused": c["refused"],
                "wrong": c["wrong"]}

    groups = {"all": counts(results),
              "single": counts([r for r in results if r.changes <= 1]),
              "multi": counts([r for r in results if r.changes > 1])}
    for dialect in sorted({r.dialect for r in results}):
        groups[dialect] = counts([r for r in results if r.dialect == dialect])
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m migsmith.agent.score",
                                     description="Score a backend on request cases.")
    parser.add_argument("--dir", "--file", dest="path", type=Path,
                        default=ROOT / "evals" / "requests",
                        help="a .jsonl file, or a directory of them (default: evals/requests)")
    parser.add_argument("--model", default="offline")
    parser.add_argument("--match", choices=("fields", "keys"), default="fields",
                        help="fields: in order, every field the case gives; keys: a multiset "
                             "of (op, table, columns, new name, type)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--summary", action="store_true",
                        help="print only aggregate counts (for a held-out set)")
    parser.add_argument("--min", type=float, default=0.0,
                        help="exit 1 when the pass rate is below this (0-1)")
    args = parser.parse_args(argv)
    results = score(args.path, args.model, args.match)
    passed = sum(r.passed for r in results)
    rate = passed / len(results) if results else 0.0
    if args.summary:
        groups = summary(results)
        if args.json:
            print(json.dumps({"model": args.model, **groups}, indent=2))
        else:
            for name, c in groups.items():
                share = c["right"] / c["cases"] if c["cases"] else 0.0
                print(f"{name:>8}: {c['right']}/{c['cases']} right ({share:.1%}), "
                      f"{c['refused']} refused, {c['wrong']} wrong")
    elif args.json:
        print(json.dumps({"model": args.model, "cases": len(results), "passed": passed,
                          "score": round(rate, 4), **summary(results)["all"],
                          "failures": [r.__dict__ for r in results if not r.passed]}, indent=2))
    else:
        for r in results:
            if not r.passed:
                print(f"FAIL {r.id}: {r.detail}")
        slowest = max((r.seconds for r in results), default=0.0)
        c = summary(results)["all"]
        print(f"{args.model}: {passed}/{len(results)} request cases pass ({rate:.1%}; "
              f"{c['refused']} refused, {c['wrong']} wrong); slowest case {slowest * 1000:.1f} ms")
    return 1 if rate < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
