"""--detect on 18 real repository layouts of 14 tools (evals/corpus/migrations/layouts.jsonl,
pinned by repository and commit): rebuilt as empty files from the recorded paths, so it runs
anywhere; and, where the snapshots are on this machine, on the real files, whose text settles
what paths alone cannot (Alembic's head revision, sqitch.plan's last change)."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from migsmith.commands.plan_format import detect_tool
from migsmith.evals.realworld import mirror_dir
from migsmith.tools.formats.detect import detect

from .runners import ROOT

LAYOUTS = [json.loads(line) for line in
           (ROOT / "evals/corpus/migrations/layouts.jsonl").read_text().splitlines()]


def _expected_next(layout: dict) -> str | None:
    """The hint's number where it is a plain sequence (timestamps depend on the clock)."""
    m = re.match(r"^(V?\d+(?:__|-)?)(\.sql)?$", layout["next_number_hint"].split(" ")[0])
    return m.group(1) if m else None


@pytest.mark.parametrize("layout", LAYOUTS, ids=[entry["id"] for entry in LAYOUTS])
def test_detects_tool_folder_and_next_number_from_paths(layout, tmp_path):
    for path in layout["files"]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    best = detect_tool(tmp_path)[0]
    assert (best.tool, best.folder) == (layout["tool"], layout["migrations_dir"]), best.summary()
    if layout["tool"] not in ("alembic", "sqitch"):  # their newest is in the files' text
        assert best.newest == layout["newest_migration"]
    want = _expected_next(layout)
    if want:
        assert best.next.startswith(want), (best.next, layout["next_number_hint"])
    elif "YYYYMMDDHHMMSS" in layout["next_number_hint"] or "YYYY-MM-DD" in layout["next_number_hint"]:
        assert "after " + layout["newest_migration"].split("_")[0] in best.next


@pytest.mark.parametrize("layout", [entry for entry in LAYOUTS
                                    if entry["tool"] in ("alembic", "sqitch", "dbmate", "goose")],
                         ids=lambda e: e["id"])
def test_detects_from_the_real_files(layout):
    repo = mirror_dir() / layout["repo"].replace("/", "+") / "repo"
    if not repo.is_dir():
        pytest.skip(f"no snapshot of {layout['repo']} under {mirror_dir()}")

    def read(path):
        res = subprocess.run(["git", "-C", str(repo), "show", f"{layout['commit']}:{path}"],
                             capture_output=True)
        return res.stdout.decode("utf-8", "replace") if res.returncode == 0 else None

    best = detect(layout["files"], read)[0]
    assert (best.tool, best.folder) == (layout["tool"], layout["migrations_dir"])
    assert best.newest == layout["newest_migration"]
    if layout["tool"] == "alembic":
        assert layout["newest_migration"].split("_")[0] in best.next
