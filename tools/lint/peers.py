"""Score migsmith's linter against the squawk and eugene test corpora (see shared/peers/README.md).

    python -m migsmith.tools.lint.peers [--peers DIR] [--write docs/lint-peers.md]

prints per-rule agreement (TP/FP/FN/TN, precision, recall) for both corpora. The peer test
(tests/lint/test_peers.py) uses the same functions and checks the figures against a baseline.

Scoring follows the corpus README: each squawk case is scored only on the rule it enables (our
mapped rules are the only ones run), honouring its pg_version, assume_in_transaction and
``squawk-disable-assume-in-transaction``; identical inputs are counted once. Each eugene file is
split into its script sections, each linted on its own as eugene's static ``lint`` does, inside a
transaction (eugene runs every section in one, except sections of only CONCURRENTLY statements),
with ``-- eugene: ignore`` comments translated into ``-- migsmith:disable``; a section is expected
to be flagged with a hint when eugene's lint report lists that hint for any of its statements.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from migsmith.tools.errors import MigsmithError
from migsmith.tools.lint import pg
from migsmith.tools.lint.engine import lint_sql
from migsmith.tools.lint.parsing import parse_postgres
from migsmith.tools.lint.peer_map import (
    DISAGREEMENT_NOTES,
    EUGENE_NO_EQUIVALENT,
    EUGENE_TO_MIGSMITH,
    SQUAWK_NO_EQUIVALENT,
    SQUAWK_TO_MIGSMITH,
)

PEER_PG_VERSION_EUGENE = 15  # eugene's CI runs PostgreSQL 12-17; 15 is also squawk's default


def find_peers_dir(repo_root: Path | None = None) -> Path | None:
    """$MIGSMITH_PEERS_DIR, else ``<repo>/../shared/peers`` (the CI layout)."""
    env = os.environ.get("MIGSMITH_PEERS_DIR")
    if env:
        return Path(env) if Path(env).is_dir() else None
    root = repo_root or Path(__file__).resolve().parents[2]
    candidate = (root / ".." / "shared" / "peers").resolve()
    return candidate if candidate.is_dir() else None


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass
class Item:
    case: str  # case file (+ "#section" for eugene)
    peer_rule: str
    expected: bool
    got: bool
    fired: tuple[str, ...]  # migsmith rule ids that fired (from the mapped set)
    settings: str = ""
    expected_count: int | None = None
    got_count: int = 0

    @property
    def outcome(self) -> str:
        return {(True, True): "TP", (False, True): "FP", (True, False): "FN", (False, False): "TN"}[
            (self.expected, self.got)]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, item: Item) -> None:
        setattr(self, item.outcome.lower(), getattr(self, item.outcome.lower()) + 1)

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def agreement(self) -> float:
        return (self.tp + self.tn) / self.total if self.total else 1.0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class CorpusResult:
    name: str
    items: list[Item] = field(default_factory=list)
    not_applicable: Counter = field(default_factory=Counter)  # peer rule -> cases
    parse_errors: list[tuple[str, str]] = field(default_factory=list)
    duplicates: int = 0

    def scores(self) -> dict[str, Score]:
        out: dict[str, Score] = {}
        for item in self.items:
            out.setdefault(item.peer_rule, Score()).add(item)
        return dict(sorted(out.items()))

    def overall(self) -> Score:
        total = Score()
        for item in self.items:
            total.add(item)
        return total

    def disagreements(self) -> list[Item]:
        return [i for i in self.items if i.expected != i.got]


# --------------------------------------------------------------------------------------------
# squawk
# --------------------------------------------------------------------------------------------


def score_squawk(peers: Path) -> CorpusResult:
    result = CorpusResult("squawk")
    base = peers / "squawk"
    seen: set[tuple] = set()
    for line in (base / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        rule = case["rule_enabled"]
        if rule not in SQUAWK_TO_MIGSMITH:
            result.not_applicable[rule] += 1
            continue
        sql = (base / case["file"]).read_text(encoding="utf-8")
        settings = case["settings"]
        assume = settings["assume_in_transaction"]
        if "squawk-disable-assume-in-transaction" in (case.get("sql_directives") or ()):
            assume = False
        version = settings["pg_version"]
        # One scored item per effective rule when the corpus tells them apart (the
        # require-timeout-settings alias on ok/errors cases), else one for the enabled rule.
        by_rule = case.get("violations_by_rule")
        if by_rule and len(case["rules_effective"]) > 1:
            targets = [(r, by_rule[r] > 0, by_rule[r]) for r in case["rules_effective"]]
        else:
            targets = [(rule, case["expected_violation"], case.get("violation_count"))]
        for peer_rule, expected, count in targets:
            key = (sql, peer_rule, version, assume)
            if key in seen:
                result.duplicates += 1
                continue
            seen.add(key)
            ours = SQUAWK_TO_MIGSMITH[peer_rule]
            try:
                findings = lint_sql(sql, pg_version=version, assume_in_transaction=assume, rules=set(ours))
            except MigsmithError as exc:
                result.parse_errors.append((case["file"], str(exc)))
                continue
            fired = tuple(sorted({f.rule_id for f in findings}))
            result.items.append(Item(
                case=case["file"], peer_rule=peer_rule, expected=expected, got=bool(findings),
                fired=fired, settings=f"pg{version}{', in transaction' if assume else ''}",
                expected_count=count if case["kind"] == "errors" else None, got_count=len(findings)))
    return result


# --------------------------------------------------------------------------------------------
# eugene
# --------------------------------------------------------------------------------------------

# eugene's own section convention (parse_scripts.rs): a line comment naming a .sql file starts a
# new script. A regex over comment lines, not over SQL.
_SECTION_MARKER = re.compile(r"^--\s*(?:file:\s*)?(\S+\.sql)\s*$")
_EUGENE_IGNORE = re.compile(r"^(\s*)--\s*eugene:\s*ignore\s+(.*)$")


def split_sections(text: str) -> list[str]:
    sections: list[list[str]] = []
    for line in text.splitlines(keepends=True):
        if _SECTION_MARKER.match(line.strip()) or not sections:
            sections.append([])
        sections[-1].append(line)
    return ["".join(s) for s in sections]


def translate_eugene_ignores(section: str) -> str:
    """``-- eugene: ignore E5, E4`` -> ``-- migsmith:disable <the mapped rule ids>``."""
    out = []
    for line in section.splitlines(keepends=True):
        m = _EUGENE_IGNORE.match(line.rstrip("\n"))
        if m:
            hints = [h.strip() for h in m.group(2).split(",") if h.strip()]
            ids = sorted({r for h in hints for r in EUGENE_TO_MIGSMITH.get(h, ())})
            line = f"{m.group(1)}-- migsmith:disable {', '.join(ids)}\n" if ids else \
                f"{m.group(1)}-- (eugene ignore without a migsmith equivalent)\n"
        out.append(line)
    return "".join(out)


def _only_concurrent(section: str) -> bool:
    statements = parse_postgres(section).statements
    return bool(statements) and all(pg.is_concurrent(s.node) for s in statements)


def score_eugene(peers: Path) -> CorpusResult:
    result = CorpusResult("eugene")
    base = peers / "eugene"
    lint_hints = {json.loads(l)["id"]: json.loads(l)["detected_by_lint"]
                  for l in (base / "hints.jsonl").read_text(encoding="utf-8").splitlines()}
    for line in (base / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        text = (base / case["file"]).read_text(encoding="utf-8")
        sections = split_sections(text)
        if len(sections) != case["scripts"]:
            raise AssertionError(f"{case['file']}: {len(sections)} sections, manifest says {case['scripts']}")
        if case["hint_id"] not in EUGENE_TO_MIGSMITH:
            result.not_applicable[case["hint_id"]] += 1  # its sections still score the other hints
        for index, (section, report) in enumerate(zip(sections, case["lint_by_script"]), start=1):
            expected_hints = {h for st in report["statements"] for h in st["rules"]}
            assume = not _only_concurrent(section)
            sql = translate_eugene_ignores(section)
            try:
                findings = lint_sql(sql, pg_version=PEER_PG_VERSION_EUGENE, assume_in_transaction=assume)
            except MigsmithError as exc:
                result.parse_errors.append((f"{case['file']}#{index}", str(exc)))
                continue
            fired_all = {f.rule_id for f in findings}
            for hint, ours in sorted(EUGENE_TO_MIGSMITH.items()):
                if not lint_hints.get(hint):
                    continue
                fired = tuple(sorted(fired_all & ours))
                result.items.append(Item(
                    case=f"{case['file']}#{index}", peer_rule=hint, expected=hint in expected_hints,
                    got=bool(fired), fired=fired,
                    settings=f"pg{PEER_PG_VERSION_EUGENE}{', in transaction' if assume else ''}"))
    return result


def focused_eugene(peers: Path) -> list[tuple[str, str, bool, bool]]:
    """README's focused score: (file, hint, eugene flags it, migsmith flags it) for each file whose
    own hint has an equivalent: a bad file should be flagged with its hint, a good one not."""
    base = peers / "eugene"
    rows = []
    for line in (base / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        hint = case["hint_id"]
        ours = EUGENE_TO_MIGSMITH.get(hint)
        if ours is None:
            continue
        got = False
        for section in split_sections((base / case["file"]).read_text(encoding="utf-8")):
            findings = lint_sql(translate_eugene_ignores(section), pg_version=PEER_PG_VERSION_EUGENE,
                                assume_in_transaction=not _only_concurrent(section), rules=set(ours))
            got = got or bool(findings)
        rows.append((case["file"], hint, hint in case["expected_rules_lint"], got))
    return rows


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def summary_table(result: CorpusResult) -> str:
    rows = ["| peer rule | migsmith rules | TP | FP | FN | TN | precision | recall | agreement |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    mapping = SQUAWK_TO_MIGSMITH if result.name == "squawk" else EUGENE_TO_MIGSMITH
    for rule, s in result.scores().items():
        ours = ", ".join(f"`{r}`" for r in sorted(mapping[rule]))
        rows.append(f"| `{rule}` | {ours} | {s.tp} | {s.fp} | {s.fn} | {s.tn} | {_pct(s.precision)} | "
                    f"{_pct(s.recall)} | {_pct(s.agreement)} |")
    o = result.overall()
    rows.append(f"| **all** | | **{o.tp}** | **{o.fp}** | **{o.fn}** | **{o.tn}** | "
                f"**{_pct(o.precision)}** | **{_pct(o.recall)}** | **{_pct(o.agreement)}** |")
    return "\n".join(rows)


def plain_summary(result: CorpusResult) -> str:
    lines = [f"{result.name}: {len(result.items)} scored items "
             f"({result.duplicates} duplicate inputs skipped, "
             f"{sum(result.not_applicable.values())} not applicable, {len(result.parse_errors)} parse errors)"]
    lines.append(f"  {'peer rule':46} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} {'prec':>6} {'recall':>6} {'agree':>6}")
    for rule, s in list(result.scores().items()) + [("ALL", result.overall())]:
        lines.append(f"  {rule:46} {s.tp:4} {s.fp:4} {s.fn:4} {s.tn:4} {_pct(s.precision):>6} "
                     f"{_pct(s.recall):>6} {_pct(s.agreement):>6}")
    return "\n".join(lines)


def _note_for(result: CorpusResult, item: Item) -> str:
    for key in (f"{result.name}:{item.case}:{item.peer_rule}", f"{result.name}:{item.case}",
                f"{result.name}:*:{item.peer_rule}:{item.outcome}"):
        if key in DISAGREEMENT_NOTES:
            return DISAGREEMENT_NOTES[key]
    return "**not yet explained**"


def _count_line(result: CorpusResult) -> str:
    counted = [i for i in result.items if i.expected_count is not None and i.expected and i.got]
    same = sum(i.got_count == i.expected_count for i in counted)
    return (f"Violation counts (README §3.5, stricter, not asserted): migsmith reports the same number "
            f"of findings as squawk on {same} of {len(counted)} flagged `errors` cases; the rest differ "
            f"by convention (per statement vs per column, or one finding per lock).")


def render_markdown(squawk: CorpusResult, eugene: CorpusResult, focused: list[tuple]) -> str:
    out = [
        "# migsmith lint vs. peer linters",
        "",
        "Generated by `MIGSMITH_WRITE_PEER_REPORT=1 .venv/bin/pytest tests/lint/test_peers.py` "
        "(or `python -m migsmith.tools.lint.peers --write docs/lint-peers.md`). Do not edit by hand: "
        "explanations live in `tools/lint/peer_map.py` (`DISAGREEMENT_NOTES`).",
        "",
        "Corpora: `shared/peers/` (squawk 2.63.0 rule tests, eugene 0.8.2 hint examples; see its "
        "README for provenance and licences). Scoring rules are in `tools/lint/peers.py`'s docstring: "
        "one case is scored only on the peer rule it exercises, mapped to migsmith's rule set "
        "(`tools/lint/peer_map.py`), with the case's PostgreSQL version and transaction setting.",
        "",
        "Agreement means migsmith and the peer reach the same verdict; a disagreement is not "
        "automatically a migsmith bug. Each one is explained below.",
        "",
        "## squawk",
        "",
        f"{len(squawk.items)} scored cases ({squawk.duplicates} duplicate inputs counted once), "
        f"{sum(squawk.not_applicable.values())} cases of rules without a migsmith equivalent.",
        "",
        summary_table(squawk),
        "",
        _count_line(squawk),
        "",
        "Not applicable (no migsmith equivalent):",
        "",
    ]
    for rule, count in sorted(squawk.not_applicable.items()):
        out.append(f"* `{rule}` ({count} cases): {SQUAWK_NO_EQUIVALENT.get(rule, '')}")
    out += ["", "## eugene (static lint, per script section)", "",
            f"{len(eugene.items)} scored (section, hint) pairs over "
            f"{len({i.case for i in eugene.items})} script sections.", "",
            summary_table(eugene), "",
            "Focused score (README §3: each `bad` file should be flagged with its own hint, each "
            "`good` file not):", "",
            "| file | hint | eugene lint | migsmith |", "|---|---|---|---|"]
    for file, hint, theirs, ours in focused:
        out.append(f"| `{file}` | {hint} | {'flagged' if theirs else 'clean'} | "
                   f"{'flagged' if ours else 'clean'}{'' if theirs == ours else ' ≠'} |")
    out += ["", "Not applicable (no migsmith equivalent):", ""]
    for hint, reason in sorted(EUGENE_NO_EQUIVALENT.items()):
        out.append(f"* `{hint}`: {reason}")
    out += ["", "## Disagreements", ""]
    for result in (squawk, eugene):
        items = result.disagreements()
        out += [f"### {result.name} ({len(items)})", ""]
        if not items:
            out += ["None.", ""]
            continue
        out += ["| case | peer rule | settings | peer | migsmith | why |", "|---|---|---|---|---|---|"]
        for item in items:
            out.append(f"| `{item.case}` | `{item.peer_rule}` | {item.settings} | "
                       f"{'flags' if item.expected else 'clean'} | "
                       f"{', '.join(f'`{r}`' for r in item.fired) if item.fired else 'clean'} | "
                       f"{_note_for(result, item)} |")
        out.append("")
    if squawk.parse_errors or eugene.parse_errors:
        out += ["## Cases migsmith could not parse", ""]
        for corpus, errors in (("squawk", squawk.parse_errors), ("eugene", eugene.parse_errors)):
            for case, message in errors:
                note = DISAGREEMENT_NOTES.get(f"{corpus}:{case}", "**not yet explained**")
                out.append(f"* {corpus} `{case}`: `{message}`. {note}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=Path, default=None, help="the shared/peers directory")
    parser.add_argument("--write", type=Path, default=None, help="write the markdown report here")
    args = parser.parse_args(argv)
    peers = args.peers or find_peers_dir()
    if peers is None:
        sys.stderr.write("peer corpora not found: set MIGSMITH_PEERS_DIR or use --peers\n")
        return 2
    squawk, eugene = score_squawk(peers), score_eugene(peers)
    print(plain_summary(squawk))
    print()
    print(plain_summary(eugene))
    if args.write:
        args.write.write_text(render_markdown(squawk, eugene, focused_eugene(peers)), encoding="utf-8")
        print(f"\nwrote {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
