"""atlas.sum computed as Atlas computes it, checked against a real project's atlas.sum
(openmeter, pinned in evals/corpus/migrations/layouts.jsonl; its folder is kept in
golang-migrate format, so Atlas sums the .up.sql files) when its snapshot is on this machine,
and a sum migsmith wrote validates again after new files are added."""

from __future__ import annotations

import json
import subprocess

import pytest

from migsmith.evals.realworld import mirror_dir
from migsmith.tools.formats import atlas, base
from migsmith.tools.formats.golang_migrate import render as golang_migrate

from . import harness
from .runners import ROOT


def _layout(layout_id: str) -> dict:
    for line in (ROOT / "evals/corpus/migrations/layouts.jsonl").read_text().splitlines():
        entry = json.loads(line)
        if entry["id"] == layout_id:
            return entry
    raise KeyError(layout_id)


def test_sum_of_a_real_project_matches_its_atlas_sum():
    entry = _layout("atlas-openmeter")
    repo = mirror_dir() / entry["repo"].replace("/", "+") / "repo"
    if not repo.is_dir():
        pytest.skip(f"no snapshot of {entry['repo']} under {mirror_dir()}")
    folder = entry["migrations_dir"]

    def show(name):
        return subprocess.run(["git", "-C", str(repo), "show", f"{entry['commit']}:{folder}/{name}"],
                              capture_output=True, check=True).stdout

    names = [p.rsplit("/", 1)[1] for p in entry["files"] if p.startswith(folder + "/")]
    files = {n: show(n) for n in names}
    assert atlas.hash_file({n: b for n, b in files.items() if n != "atlas.sum"},
                           golang_migrate=True) == files["atlas.sum"].decode()
    # every .sql file would give another sum: the up-files rule is what Atlas does here
    assert atlas.hash_file({n: b for n, b in files.items() if n != "atlas.sum"}) != \
        files["atlas.sum"].decode()


def test_golang_migrate_keeps_an_existing_atlas_sum_valid():
    plan, _ = harness.make_plan("users_email_index", "postgres")
    old = {"20240101000000_init.up.sql": "CREATE TABLE t (id int);\n",
           "20240101000000_init.down.sql": "DROP TABLE t;\n"}
    old["atlas.sum"] = atlas.hash_file(old, golang_migrate=True)
    rendered = golang_migrate(plan, base.Target(path="m", files=dict(old), now=harness.NOW))
    assert rendered.replaces == {"atlas.sum"}
    assert atlas.sum_is_valid(old | rendered.files, golang_migrate=True)
    tampered = dict(old, **{"20240101000000_init.up.sql": "CREATE TABLE u (id int);\n"})
    with pytest.raises(base.FormatError, match="does not match"):
        golang_migrate(plan, base.Target(path="m", files=tampered, now=harness.NOW))
