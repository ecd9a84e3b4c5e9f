"""Score a model backend on the request evals: ``python -m migsmith.agent.score``.

Each line of ``evals/requests/*.jsonl`` is one case (format: evals/requests/README.md). A case
passes when the operations match the expected ones in order (every expected field equal;
fields the case leaves out are not compared) and the expected options match, or, for an
``error`` case, when no spec comes out and the message contains the expected words.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from migsmith.tools.errors import MigsmithError

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class CaseResult:
    id: str
    passed: bool
    detail: str
    seconds: float


def load_cases(directory: Path) -> list[dict]:
    cases = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    case = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MigsmithError(f"{path}:{number}: malformed JSON: {exc.msg}") from None
                case.setdefault("_source", f"{path.name}:{number}")
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


def run_case(case: dict, model: str, schemas: dict) -> CaseResult:
    from migsmith.agent.runner import request_to_spec
    from migsmith.tools.schema import load_schema

    key = (case["schema"], case.get("dialect", "postgres"))
    if key not in schemas:
        schemas[key] = load_schema(str(ROOT / case["schema"]), key[1])
    expected = case["expected"]
    started = time.perf_counter()
    try:
        result = request_to_spec(case["request"], schemas[key], model=model, dialect=key[1])
    except MigsmithError as exc:
        took = time.perf_counter() - started
        if "error" in expected and expected["error"].lower() in str(exc).lower():
            return CaseResult(case["id"], True, str(exc), took)
        return CaseResult(case["id"], False, f"error: {exc}", took)
    took = time.perf_counter() - started
    spec = result.spec.model_dump(mode="json", exclude_none=True)
    if "error" in expected:
        return CaseResult(case["id"], False, f"expected an error, got {spec['operations']}", took)
    ok = matches(expected["operations"], spec["operations"]) and matches(
        expected.get("options", {}), spec["options"])
    return CaseResult(case["id"], ok, "" if ok else f"got {json.dumps(spec['operations'])} "
                      f"options {json.dumps(spec['options'])}", took)


def score(directory: Path, model: str = "offline") -> list[CaseResult]:
    schemas: dict = {}
    return [run_case(case, model, schemas) for case in load_cases(directory)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m migsmith.agent.score",
                                     description="Score a backend on the request evals.")
    parser.add_argument("--dir", type=Path, default=ROOT / "evals" / "requests")
    parser.add_argument("--model", default="offline")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--min", type=float, default=0.0,
                        help="exit 1 when the pass rate is below this (0-1)")
    args = parser.parse_args(argv)
    results = score(args.dir, args.model)
    passed = sum(r.passed for r in results)
    rate = passed / len(results) if results else 0.0
    if args.json:
        print(json.dumps({"model": args.model, "cases": len(results), "passed": passed,
                          "score": round(rate, 4),
                          "failures": [r.__dict__ for r in results if not r.passed]}, indent=2))
    else:
        for r in results:
            if not r.passed:
                print(f"FAIL {r.id}: {r.detail}")
        slowest = max((r.seconds for r in results), default=0.0)
        print(f"{args.model}: {passed}/{len(results)} request cases pass ({rate:.1%}); "
              f"slowest case {slowest * 1000:.1f} ms")
    return 1 if rate < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
