"""migsmith and squawk side by side on the real migration corpus (evals/corpus/migrations).

    python -m migsmith.tools.lint.side_by_side [--split tune|holdout|all] [--assume-in-transaction]
                                               [--examples N]

Both linters read the same files with the same settings (PostgreSQL 15; the runner's
transaction as the corpus records it, or everything wrapped with --assume-in-transaction).
For each squawk rule with a migsmith equivalent (tools/lint/peer_map.py) it prints how many
files both flag, only squawk flags, only migsmith flags; and, for the files their runner runs
outside a transaction, how many each reports for CONCURRENTLY in a transaction. The held-out
projects (``split: holdout``) are for scoring: run them once per design change, and tune on
``tune``. Disagreements are examples to read, not verdicts.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from migsmith.tools.lint.peer_map import SQUAWK_TO_MIGSMITH

PG_VERSION = 15
# squawk reports these under their own names (require-lock-timeout, require-statement-timeout)
ALIASES = {"require-timeout-settings"}
CONCURRENTLY_RULES = ("ban-concurrent-index-creation-in-transaction", "ban-concurrently-in-transaction")


def _files(split: str) -> tuple[list[tuple[dict, Path]], int]:
    from migsmith.evals import realworld

    entries = [e for e in realworld.entries("migrations")
               if e["kind"] != "config" and e["path"].lower().endswith(".sql")
               and (split == "all" or e["split"] == split)]
    for e in realworld.entries("migrations"):  # configs (diesel metadata.toml) beside their files
        if e["kind"] == "config":
            realworld.locate(e)
    found = [(e, p) for e, p in ((e, realworld.locate(e)) for e in entries) if p is not None]
    return found, len(entries)


def compare(split: str, assume: bool) -> dict:
    from migsmith.tools.lint.engine import lint_paths
    from migsmith.tools.lint.squawk import run_squawk_files

    files, wanted = _files(split)
    paths = [p for _, p in files]
    ours, _ = lint_paths(paths, pg_version=PG_VERSION, assume_in_transaction=True if assume else None)
    theirs = run_squawk_files(paths, pg_version=PG_VERSION, assume_in_transaction=assume)
    ours_by = defaultdict(set)
    for f in ours:
        ours_by[str(Path(f.file).resolve())].add(f.rule_id)
    theirs_by = defaultdict(set)
    for r in theirs:
        theirs_by[str(Path(r["file"]).resolve())].add(r["rule"])
    rows: dict[str, Counter] = {}
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry, path in files:
        key = str(path.resolve())
        for rule, mapped in SQUAWK_TO_MIGSMITH.items():
            if rule in ALIASES:
                continue
            a, b = rule in theirs_by[key], bool(mapped & ours_by[key])
            if not (a or b):
                continue
            verdict = "both" if a and b else "only squawk" if a else "only migsmith"
            rows.setdefault(rule, Counter())[verdict] += 1
            if verdict != "both":
                examples[rule].append((verdict, f"{entry['repo']} {entry['path']}"))
    opted = [(e, p) for e, p in files if e["optout"]]
    concurrently = {
        "squawk": sum(CONCURRENTLY_RULES[0] in theirs_by[str(p.resolve())] for _, p in opted),
        "migsmith": sum(CONCURRENTLY_RULES[1] in ours_by[str(p.resolve())] for _, p in opted),
    }
    return {"files": len(files), "wanted": wanted, "rows": rows, "examples": examples,
            "opted_out": len(opted), "concurrently": concurrently}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "holdout", "all"), default="tune")
    parser.add_argument("--assume-in-transaction", action="store_true",
                        help="tell both linters every file runs in a transaction (opt-outs still "
                             "apply for migsmith)")
    parser.add_argument("--examples", type=int, default=3, help="disagreements to list per rule")
    args = parser.parse_args(argv)
    try:
        result = compare(args.split, args.assume_in_transaction)
    except FileNotFoundError:
        print("the migration corpus manifest is not in this checkout", file=sys.stderr)
        return 2
    if not result["files"]:
        print("no corpus file on this machine: python -m migsmith.evals.realworld extract migrations",
              file=sys.stderr)
        return 2
    print(f"{result['files']} of {result['wanted']} files ({args.split} split), PostgreSQL {PG_VERSION}"
          f"{', every file assumed in a transaction' if args.assume_in_transaction else ''}")
    print(f"\n{'squawk rule':48} {'both':>6} {'only squawk':>12} {'only migsmith':>14}")
    for rule, counts in sorted(result["rows"].items()):
        print(f"{rule:48} {counts['both']:6} {counts['only squawk']:12} {counts['only migsmith']:14}")
    c = result["concurrently"]
    print(f"\nfiles their runner runs outside a transaction: {result['opted_out']}; reported for "
          f"CONCURRENTLY in a transaction: squawk {c['squawk']}, migsmith {c['migsmith']}")
    if args.examples:
        print("\nexamples of disagreements:")
        for rule, items in sorted(result["examples"].items()):
            for verdict, where in items[:args.examples]:
                print(f"  {rule}: {verdict}: {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
