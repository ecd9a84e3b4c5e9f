"""PLAN.md a reviewer reads in two minutes: the SQL stays in the step files it links, the
boilerplate is said once, a timeline picture sits beside it, the verification table compares
each statement's observed lock with the lock predicted for it, file names are whole phrases."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from migsmith.tools.planning.docs import SECTIONS, lock_rows
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.planning.timeline import KINDS
from migsmith.tools.planning.writer import plan_files, write_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "evals" / "specs"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def schemas():
    return {d: load_schema(str(ROOT / "examples" / f), d) for d, f in (
        ("postgres", "schema.sql"), ("mysql", "schema_mysql.sql"), ("sqlite", "schema_sqlite.sql"))}


def _plan(schemas, name):
    spec = parse_spec((SPECS / f"{name}.json").read_text())
    return build_plan(spec, schemas[spec.options.dialect])


@pytest.mark.parametrize("name", ["doc_rename_created", "doc_add_email_verified",
                                  "doc_rename_created_mysql", "doc_rename_created_sqlite"])
def test_plan_md_links_the_sql_and_says_the_boilerplate_once(schemas, name, tmp_path):
    plan = _plan(schemas, name)
    write_plan(plan, tmp_path / "p")
    md = (tmp_path / "p" / "PLAN.md").read_text()
    assert len(md.splitlines()) < 200
    assert "```sql" not in md and "BEGIN;" not in md and "DO $lock$" not in md
    assert md.count("## How the step files run") == 1
    links = re.findall(r"\]\(([^)]+)\)", md)
    for step in plan.all_steps():  # every step file is linked, and every link is a file
        assert step.up_file in links and step.down_file in links
    for link in links:
        assert (tmp_path / "p" / link).is_file(), link
    assert "(timeline.svg)" in md
    for lock in {lk.mode for s in plan.steps for lk in s.expected_locks}:  # one lock, once a row
        for row in (line for line in md.splitlines() if line.startswith("| ") and lock in line):
            assert row.count(lock) <= len({lk.table for s in plan.steps for lk in s.expected_locks})


def test_timeline_has_a_bar_per_step_coloured_by_lock_and_the_deploy_points(schemas):
    plan = _plan(schemas, "doc_rename_created")
    svg = ET.fromstring(plan_files(plan)["timeline.svg"])
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == len(plan.steps)
    colours = dict(KINDS)
    for step, bar in zip(plan.steps, bars):
        kind = bar.find(f"{SVG}title").text.split(": ", 1)[1].split(",")[0]
        assert bar.get("fill") == colours[kind]
        blocks_all = any(lk.mode == "AccessExclusiveLock" for lk in step.expected_locks)
        assert (kind == "blocks reads and writes") == blocks_all
    # bars follow each other in time: each starts where the one before ended (or later)
    xs = [float(b.get("x")) for b in bars]
    assert xs == sorted(xs)
    # the backfill (minutes) is the widest bar; a metadata step (milliseconds) the narrowest
    widths = {s.number: float(b.get("width")) for s, b in zip(plan.steps, bars)}
    backfill = next(s.number for s in plan.steps if s.backfill)
    assert widths[backfill] == max(widths.values())
    deploys = [s for s in plan.steps if s.deploy_note.startswith("Before:")]
    dashed = [ln for ln in svg.iter(f"{SVG}line") if ln.get("stroke-dasharray")]
    assert len(dashed) == len(deploys) + 1  # one per deploy point, one in the legend
    assert len(plan_files(plan)["timeline.svg"]) < 8000


def test_verification_rows_compare_each_statement_with_its_own_prediction():
    verification = {"statements": [
        {"step": 1, "statement": "DO $lock$", "locks": [
            {"table": "posts", "observed": "AccessExclusiveLock", "predicted": "AccessExclusiveLock"}]},
        {"step": 4, "statement": "DO $check$", "locks": [
            {"table": "posts", "observed": "AccessShareLock", "predicted": "ShareUpdateExclusiveLock"}]},
        {"step": 5, "statement": "ALTER TABLE t ...", "locks": [
            {"table": "t", "observed": "AccessExclusiveLock", "predicted": None}]}]}
    assert [r["verdict"] for r in lock_rows(verification)] == [
        "as predicted", "weaker than predicted", "**not predicted**"]


def test_every_section_is_one_function_or_template():
    names = [s.__name__ for s in SECTIONS]
    assert len(names) == len(set(names))
    for name in names:
        if not name.startswith("_"):
            assert (ROOT / "tools" / "templates" / "base" / "plan" / f"{name}.md.j2").is_file()


def test_step_file_names_are_whole_phrases(schemas):
    for spec in sorted(SPECS.glob("*.json")):
        try:
            plan = _plan(schemas, spec.stem)
        except Exception:  # a spec for another schema than the example ones
            continue
        for step in plan.all_steps():
            slug = step.slug.removeprefix("alt_").split("_", 1)[1]
            words = re.sub(r"[^a-z0-9]+", " ", step.title.lower()).split()
            assert all(w in words for w in slug.split("_")), (step.title, slug)
            assert not slug.endswith(("_and", "_on", "_in", "_of", "_to", "_the", "_a")), slug
