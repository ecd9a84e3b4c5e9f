"""Golden files for the formats whose tools do not install here (Flyway: Java; golang-migrate
and Atlas: Go binaries that no registry here ships). test_send_modes.py runs the PostgreSQL
files the way those tools send them; these pin every file byte for byte, so a change to what
they write shows up in review. Regenerate with MIGSMITH_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migsmith.tools.formats import atlas

from . import harness

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = [("golang-migrate", "rename_created", "postgres"), ("golang-migrate", "type_change", "mysql"),
         ("golang-migrate", "add_email_verified", "sqlite"),
         ("flyway", "rename_created", "postgres"), ("flyway", "add_email_verified", "mysql"),
         ("atlas", "rename_created", "postgres"), ("atlas", "users_email_index", "sqlite")]


@pytest.mark.parametrize("tool,case,dialect", CASES, ids=["-".join(c) for c in CASES])
def test_files_match_golden(tool, case, dialect, tmp_path):
    plan, _ = harness.make_plan(case, dialect)
    out = tmp_path / "out"
    rendered = harness.write(plan, tool, out, tmp_path / "plan")
    golden = GOLDEN / f"{tool}-{case}-{dialect}"
    got = {n: (out / n).read_text() for n in rendered.files}
    if os.environ.get("MIGSMITH_UPDATE_GOLDEN"):
        golden.mkdir(parents=True, exist_ok=True)
        for old in golden.iterdir():
            old.unlink()
        for name, text in got.items():
            (golden / name).write_text(text)
    want = {p.name: p.read_text() for p in golden.iterdir()}
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], f"{name} differs from {golden / name}"
    if tool == "atlas":
        assert atlas.sum_is_valid({n: t for n, t in got.items()})
