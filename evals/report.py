"""The eval report: ``results.json`` for tools, ``REPORT.md`` and ``scores.png`` for people,
and the comparison with an earlier ``results.json`` (``--compare``)."""

from __future__ import annotations

import json
from pathlib import Path

from migsmith.tools.errors import MigsmithError

RESULTS_FILE = "results.json"
REPORT_FILE = "REPORT.md"
CHART_FILE = "scores.png"
TARGET = 95  # percent of cases passing every grader, once every component has landed


# ----------------------------------------------------------------------------- compare

def load_results(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise MigsmithError(f"cannot read earlier results {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise MigsmithError(f"{path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise MigsmithError(f"{path} is not a migsmith eval results.json (no 'cases' list)")
    return data


def compare(old: dict, new: dict) -> dict:
    """What got better or worse since ``old`` (both results.json dicts), case by case."""
    before = {c["id"]: c for c in old["cases"]}
    after = {c["id"]: c for c in new["cases"]}
    rank = {"error": 0, "fail": 1, "pass": 2}
    better, worse = [], []
    for cid, now in after.items():
        was = before.get(cid)
        if was is None:
            continue
        delta = round(now["score"] - was["score"], 4)
        row = {"id": cid, "was": was["status"], "now": now["status"],
               "score_was": was["score"], "score_now": now["score"], "delta": delta}
        if rank[now["status"]] > rank[was["status"]] or (now["status"] == was["status"] and delta > 0):
            better.append(row)
        elif rank[now["status"]] < rank[was["status"]] or delta < 0:
            worse.append(row)
    return {
        "score_was": old.get("summary", {}).get("score"),
        "score_now": new["summary"]["score"],
        "pass_rate_was": old.get("summary", {}).get("pass_rate"),
        "pass_rate_now": new["summary"]["pass_rate"],
        "better": better,
        "worse": worse,
        "new": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
    }


# ----------------------------------------------------------------------------- writing

def write_report(results: dict, out_dir: Path, comparison: dict | None = None) -> list[Path]:
    """Write results.json, scores.png and REPORT.md into ``out_dir``; returns the paths."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MigsmithError(f"cannot create report folder {out_dir}: {exc.strerror}") from None
    data = dict(results)
    if comparison is not None:
        data["comparison"] = comparison
    paths = [out_dir / RESULTS_FILE, out_dir / CHART_FILE, out_dir / REPORT_FILE]
    _write_atomic(paths[0], json.dumps(data, indent=2) + "\n")
    render_chart(results, paths[1])
    _write_atomic(paths[2], render_markdown(results, comparison, chart=CHART_FILE))
    return paths


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def render_chart(results: dict, path: Path) -> None:
    """Two horizontal bar charts: score per operation kind, and per dialect, with pass counts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = results["by_kind"]
    dialects = results["by_dialect"]
    rows = len(kinds) + len(dialects)
    fig, (ax_kind, ax_dialect) = plt.subplots(
        2, 1, figsize=(9, 1.6 + 0.34 * rows),
        gridspec_kw={"height_ratios": [max(len(kinds), 1), max(len(dialects), 1) + 0.6]})
    s = results["summary"]
    fig.suptitle(f"migsmith eval ({results['model']}): score {s['score']:.1f}%, "
                 f"{s['passed']}/{s['cases']} cases pass", fontsize=12, fontweight="bold")
    for ax, groups, title in ((ax_kind, kinds, "score per operation kind"),
                              (ax_dialect, dialects, "score per dialect")):
        names = list(groups)[::-1]
        scores = [groups[n]["score"] for n in names]
        colors = [_color(v) for v in scores]
        bars = ax.barh(names, scores, color=colors, height=0.65)
        ax.axvline(TARGET, color="#555555", linestyle="--", linewidth=0.8)
        ax.set_xlim(0, 118)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_title(title, loc="left", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="y", labelsize=9)
        for bar, name in zip(bars, names):
            g = groups[name]
            label = f"{g['score']:.0f}%  ({g['passed']}/{g['cases']}"
            label += f", {g['errors']} err)" if g["errors"] else ")"
            ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, label,
                    va="center", fontsize=8)
    ax_dialect.set_xlabel(f"mean case score (%); in brackets: cases passing / cases; dashed: "
                          f"{TARGET}% target")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _color(score: float) -> str:
    if score >= TARGET:
        return "#2e7d32"
    if score >= 70:
        return "#f9a825"
    return "#c62828"


def _table(groups: dict, first: str) -> list[str]:
    lines = [f"| {first} | cases | score | pass | fail | error |", "|---|---:|---:|---:|---:|---:|"]
    for name, g in groups.items():
        lines.append(f"| {name} | {g['cases']} | {g['score']:.1f}% | {g['passed']} | "
                     f"{g['failed']} | {g['errors']} |")
    return lines


def _cell(text: str | None, limit: int = 160) -> str:
    text = (text or "").replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_markdown(results: dict, comparison: dict | None = None, chart: str | None = None) -> str:
    s = results["summary"]
    out = [
        "# migsmith eval report",
        "",
        f"Model **{results['model']}**, {s['cases']} cases, {results['jobs']} job(s), "
        f"{results['duration_s']:.1f} s, shadow round trip "
        f"{'on' if results.get('verify') else 'off'}; run {results.get('created', '')}.",
        "",
        f"**Suite score: {s['score']:.2f}%** (mean case score); "
        f"**{s['passed']} pass**, {s['failed']} fail, {s['errors']} error "
        f"(pass rate {s['pass_rate']:.1f}%).",
        "",
        "A case scores the mean of its graded checks; an *error* is a case that could not be "
        "judged (a component not built yet, a missing schema file, a crash) and scores 0.",
        "",
    ]
    if chart:
        out += [f"![scores per operation kind and dialect]({chart})", ""]
    if comparison is not None:
        out += _comparison_md(comparison)
    usage = results.get("usage")
    if usage:
        out += ["## Model usage", "",
                f"{usage['requests']} requests: {usage['input_tokens']:,} input tokens "
                f"({usage['cache_read_input_tokens']:,} read from the prompt cache), "
                f"{usage['output_tokens']:,} output tokens; turns mean {usage['mean_turns']}, "
                f"max {usage['max_turns']}; latency median {usage['median_latency_s']} s, "
                f"max {usage['max_latency_s']} s.", ""]
    out += ["## Per dialect", ""] + _table(results["by_dialect"], "dialect") + [""]
    out += ["## Per operation kind", ""] + _table(results["by_kind"], "kind") + [""]
    if results.get("by_tag"):
        out += ["## Per tag", ""] + _table(results["by_tag"], "tag") + [""]
    out += ["## Per grader", "", "| grader | passed | failed | skipped |", "|---|---:|---:|---:|"]
    for name, g in results["by_grader"].items():
        out.append(f"| {name} | {g['passed']} | {g['failed']} | {g['skipped']} |")
    out.append("")
    bad = [c for c in results["cases"] if c["status"] != "pass"]
    out += ["## What failed", ""]
    if not bad:
        out += ["Nothing: every case passed every grader.", ""]
    for c in bad:
        out.append(f"### {c['id']} ({c['dialect']}, {c['status']}, score {c['score']:.2f})")
        out.append("")
        if c.get("request"):
            out.append(f"Request: \"{c['request']}\"  ")
        out.append(f"Case: `{c['source']}`  ")
        if c.get("operations"):
            out.append("Planned: " + "; ".join(c["operations"]) + "  ")
        if c.get("error"):
            out.append(f"Error: {c['error']}")
        out.append("")
        for g in c["grades"]:
            if not g["passed"] and not g["skipped"]:
                out.append(f"- **{g['name']}** ({g['score']:.2f}): {g['details']}")
        out.append("")
    out += ["## All cases", "", "| case | dialect | kinds | status | score | strategy | notes |",
            "|---|---|---|---|---:|---|---|"]
    for c in results["cases"]:
        failed = [g["name"] for g in c["grades"] if not g["passed"] and not g["skipped"]]
        note = c.get("error") or (", ".join(failed) if failed else "")
        out.append(f"| {c['id']} | {c['dialect']} | {', '.join(c['kinds'])} | {c['status']} | "
                   f"{c['score']:.2f} | {c.get('strategy') or ''} | {_cell(note, 90)} |")
    out.append("")
    return "\n".join(out)


def _comparison_md(cmp: dict) -> list[str]:
    out = ["## Since the earlier run", ""]
    if cmp.get("score_was") is not None:
        delta = cmp["score_now"] - cmp["score_was"]
        out.append(f"Suite score {cmp['score_was']:.2f}% -> {cmp['score_now']:.2f}% "
                   f"({delta:+.2f}); pass rate {cmp['pass_rate_was']:.1f}% -> "
                   f"{cmp['pass_rate_now']:.1f}%.")
        out.append("")
    for title, key in (("Better", "better"), ("Worse", "worse")):
        rows = cmp[key]
        out.append(f"**{title}** ({len(rows)})" + (":" if rows else ""))
        out.append("")
        for r in rows:
            out.append(f"- {r['id']}: {r['was']} -> {r['now']} (score {r['score_was']:.2f} -> "
                       f"{r['score_now']:.2f})")
        if rows:
            out.append("")
    if cmp["new"]:
        out += [f"New cases: {', '.join(cmp['new'])}", ""]
    if cmp["removed"]:
        out += [f"Removed cases: {', '.join(cmp['removed'])}", ""]
    return out
