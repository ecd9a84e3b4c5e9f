"""Every case of the real-world schema corpus, planned and verified with the default settings.

    .venv/bin/python -m bench.realworld_schemas   (this module: migsmith.evals.realworld_schemas) [--split tune|holdout|all] [--limit N]
        [--manifests DIR] [--rows N] [--only SCHEMA_ID]

The corpus (``evals/corpus/schemas/manifest.jsonl`` and ``cases.jsonl``; ``--manifests``
reads them from another directory) pins published schemas by repository, commit, path and
sha256; the files are copied out of local snapshots by ``evals/realworld.py`` and never
committed. Cases whose file is not on this machine are counted as missing, not run.

Prints one line per case (pass or the first problem, seconds) and the pass count and mean
time per case for each split separately: holdout cases are for scoring, never for tuning.
One PostgreSQL server is started per schema (the build ``pg_builds.choose`` picks for its
extensions), and reused for its cases.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Cases that fail for a known reason outside the proof itself: case id -> (whose it is, the
# exact symptom: a substring of the first problem the case reports). Printed as "known" and
# counted apart while the case fails with that symptom; "stale" (and exit status 1) as soon
# as it passes or fails otherwise, so the list cannot outlive the faults
# (tests/evals/test_realworld_schemas.py runs every entry). "refused by design": the plan says
# what to change first, in one line (a refusal the dependents work chose); "planning": a plan
# that fails on the shadow; "server": no PostgreSQL build here can load the schema.
_PK_TYPE = "planning (a primary-key type change is refused: it needs a key swap)"
_PAGILA = ("server (PostgreSQL 18 with pgvector: the 18 wheel lacks pgvector, pgserver's 16 "
           "has it but no uuidv7)", "function uuidv7() does not exist")
KNOWN: dict[str, tuple[str, str]] = {
    "lago-api-pg--drop-applied-coupons-frequency-duration-remaining": (
        "refused by design (dependents): a view reads the column",
        "view exports_applied_coupons reads applied_coupons.frequency_duration_remaining: "
        "dropping the column would break it"),
    "openstreetmap-pg--widen-user-blocks-id": (
        _PK_TYPE, "a type change of primary-key column user_blocks.id needs a key swap"),
    "openstreetmap-pg--widen-relation-members-sequence-id": (
        _PK_TYPE, "a type change of primary-key column current_relation_members.sequence_id "
                  "needs a key swap"),
    "pagila-pg--add-payment-refunded-at": _PAGILA,
    "pagila-pg--widen-payment-amount": _PAGILA,
    "pagila-pg--add-customer-loyalty-points": _PAGILA,
    "pagila-pg--index-rental-open": _PAGILA,
    "pagila-pg--fk-store-manager": _PAGILA,
    "pagila-pg--fk-payment-rental": _PAGILA,
    "pagila-pg--customer-email-not-null": _PAGILA,
    "pagila-pg--drop-customer-active": _PAGILA,
    "pagila-pg--rename-film-length": (
        "refused by design (dependents; and the schema needs PostgreSQL 18): a generated "
        "column reads the renamed column", "generated column film.length_hours computes from "
                                           "film.length"),
    "sakila-mysql--rename-film-title": (
        "refused by design (dependents): MySQL cannot replace a trigger atomically",
        "trigger ins_film on film reads NEW/OLD.title in its body"),
    "sakila-mysql--fk-film-text-film": (
        "refused by design (MySQL cannot link integer columns of another sign)",
        "film_text.film_id is int and film.film_id is int unsigned"),
    "sakila-pg--widen-payment-amount": (
        "refused by design (dependents): the inheritance partitions' rules read the column",
        "rule payment_insert_p2007_01 reads payment.amount"),
    "temporal-visibility-sqlite--drop-binary-checksums": (
        "refused by design (dependents): the fts triggers read the column",
        "trigger executions_visibility_ai reads executions_visibility.BinaryChecksums: "
        "dropping the column would break it"),
}


def load_corpus(manifests: Path | None) -> tuple[list[dict], list[dict]]:
    from migsmith.evals.realworld import CORPUS_MANIFESTS

    base = (manifests or CORPUS_MANIFESTS / "schemas")
    man, cases = base / "manifest.jsonl", base / "cases.jsonl"
    if not man.is_file() or not cases.is_file():
        return [], []

    def read(p: Path) -> list[dict]:
        return [json.loads(line) for line in p.read_text().splitlines() if line.strip()]

    return read(man), read(cases)


def run_case(case: dict, entry: dict, path: Path, server_url, rows: int,
             work: Path) -> tuple[bool, str, float]:
    """Plan and verify one case; (ok, the first problem or "ok", seconds). ``server_url``: a
    server URL, or a callable giving one for the plan (``Servers``)."""
    from migsmith.tools.errors import MigsmithError
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.planning.writer import write_plan
    from migsmith.tools.proving.verify import verify_plan_dir
    from migsmith.tools.schema import load_schema
    from migsmith.tools.spec.changespec import parse_spec

    started = time.perf_counter()
    out = work / case["id"]
    try:
        spec = parse_spec(json.dumps(case["spec"]))
        plan = build_plan(spec, load_schema(str(path), entry["dialect"]))
        write_plan(plan, out)
        url = server_url(plan) if callable(server_url) else server_url
        report = verify_plan_dir(out, str(path), server_url=url, rows=rows, write=False)
    except MigsmithError as exc:
        return False, f"error: {exc}".splitlines()[0], time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001 - a crash is a result too; the run goes on
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        return False, (f"crash: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                       f" ({Path(where.filename).name}:{where.lineno})"), \
            time.perf_counter() - started
    took = time.perf_counter() - started
    problems = report.plan.problems() + (report.alternative.problems()
                                         if report.alternative else [])
    return report.ok, (problems[0] if problems else "ok"), took


class Servers:
    """PostgreSQL servers for one schema's cases: one per build ``pg_builds.choose`` picks for
    a plan's target major and the schema's extensions, started on first use (a private
    server, as ``migsmith verify`` would start) and kept for the schema's other cases."""

    def __init__(self, ddl: str) -> None:
        from migsmith.tools.proving.shadow.pg_builds import required_extensions

        self.extensions = required_extensions(ddl)
        self.started: dict[int | None, object] = {}
        self.labels: list[str] = []

    def __call__(self, plan) -> str:
        from migsmith.tools.proving.shadow.postgres import start_server

        major = plan.target_version.split(".")[0]
        major = int(major) if major.isdigit() else None
        if major not in self.started:
            server = start_server(major, self.extensions)
            self.started[major] = server
            self.labels.append(server.note or f"proved on {server.build.label}")
        return self.started[major].server_url

    def close(self) -> None:
        for server in self.started.values():
            server.close()
        self.started.clear()


def classify(case_id: str, ok: bool, what: str) -> str:
    """pass; known (fails with the symptom KNOWN names); stale (KNOWN names it, but it passes
    or fails otherwise: the entry must go or be rewritten); FAIL."""
    if case_id not in KNOWN:
        return "pass" if ok else "FAIL"
    _, symptom = KNOWN[case_id]
    return "known" if not ok and symptom in what else "stale"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["tune", "holdout", "all"], default="all")
    ap.add_argument("--limit", type=int, default=0, help="at most N cases per schema")
    ap.add_argument("--manifests", type=Path, default=None)
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--only", default=None)
    args = ap.parse_args(argv)

    from migsmith.evals.realworld import locate

    entries, cases = load_corpus(args.manifests)
    if not entries:
        print("no schema corpus here (evals/corpus/schemas/manifest.jsonl): nothing to run")
        return 0
    by_id = {e["id"]: e for e in entries}
    per_schema: dict[str, list[dict]] = defaultdict(list)
    for case in cases:
        if args.split != "all" and case.get("split") != args.split:
            continue
        if args.only and case["schema"] != args.only:
            continue
        per_schema[case["schema"]].append(case)
    results: dict[str, list[tuple[str, float]]] = defaultdict(list)
    missing = 0
    mysql_url = os.environ.get("MIGSMITH_MYSQL_URL") or os.environ.get("MIGSMITH_TEST_MYSQL_URL")
    with tempfile.TemporaryDirectory(prefix="migsmith-realworld-") as tmp:
        for schema_id, chosen in sorted(per_schema.items()):
            entry = by_id.get(schema_id)
            path = locate(entry) if entry else None
            if path is None:
                missing += len(chosen)
                print(f"{schema_id}: file not on this machine ({len(chosen)} case(s) skipped)")
                continue
            if args.limit:
                chosen = chosen[: args.limit]
            # holdout cases are scored, never looked at one by one: only their counts print
            shown = all(c.get("split") == "tune" for c in chosen)
            servers = Servers(path.read_text()) if entry["dialect"] == "postgres" else None
            url = servers or (mysql_url if entry["dialect"] == "mysql" else None)
            try:
                for case in chosen:
                    ok, what, took = run_case(case, entry, path, url, args.rows, Path(tmp))
                    label = classify(case["id"], ok, what)
                    results[case.get("split", "?")].append((label, took))
                    if shown:
                        print(f"{label} {case['id']} [{case.get('split')}] {took:.1f}s"
                              + ("" if ok else f": {what[:300]}")
                              + (f" (KNOWN: {KNOWN[case['id']][1]!r})" if label == "stale"
                                 else ""), flush=True)
                if shown and servers is not None:
                    for line in servers.labels:
                        print(f"{schema_id}: {line}")
            finally:
                if servers is not None:
                    servers.close()
    stale = 0
    for split, got in sorted(results.items()):
        count = defaultdict(int)
        for label, _ in got:
            count[label] += 1
        stale += count["stale"]
        mean = sum(t for _, t in got) / len(got) if got else 0.0
        print(f"{split}: {count['pass']}/{len(got)} cases plan and verify; known failures "
              f"{count['known']}, other failures {count['FAIL']}, stale KNOWN entries "
              f"{count['stale']}; {mean:.2f} s per case")
    if missing:
        print(f"missing: {missing} case(s) whose schema file is not on this machine")
    if stale:
        print(f"{stale} KNOWN entr{'y' if stale == 1 else 'ies'} no longer describe(s) what "
              "happens: remove or rewrite them (evals/realworld_schemas.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
