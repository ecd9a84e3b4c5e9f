"""The report folder, the comparison with an earlier run, the command line and the CI gate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migsmith.evals.case import load_cases
from migsmith.evals.report import compare, load_results, write_report
from migsmith.evals.runner import (RunConfig, check_threshold, raise_threshold, read_threshold,
                                   run_suite)
from migsmith.tools.errors import MigsmithError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def doc_results():
    cases = [c for c in load_cases() if c.id.startswith("doc-spec-")]
    return run_suite(cases, RunConfig(), jobs=1)


def test_report_folder_has_markdown_png_and_json(doc_results, tmp_path):
    paths = write_report(doc_results.to_dict(), tmp_path)
    assert sorted(p.name for p in paths) == ["REPORT.md", "results.json", "scores.png"]
    png = (tmp_path / "scores.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    data = load_results(tmp_path / "results.json")
    assert data["summary"]["cases"] == 4
    assert {c["id"] for c in data["cases"]} >= {"doc-spec-users-email-index"}
    md = (tmp_path / "REPORT.md").read_text()
    assert "Suite score" in md and "## Per dialect" in md and "scores.png" in md


def test_compare_names_what_got_better_and_worse(doc_results):
    new = doc_results.to_dict()
    old = json.loads(json.dumps(new))
    old["cases"][0]["status"], old["cases"][0]["score"] = "fail", 0.5
    old["cases"][1]["status"], old["cases"][1]["score"] = "pass", 1.0
    new["cases"][1]["status"], new["cases"][1]["score"] = "fail", 0.25
    old["cases"].append({"id": "gone", "status": "pass", "score": 1.0})
    cmp = compare(old, new)
    assert [r["id"] for r in cmp["better"]] == [new["cases"][0]["id"]]
    assert [r["id"] for r in cmp["worse"]] == [new["cases"][1]["id"]]
    assert cmp["removed"] == ["gone"]


def test_load_results_rejects_other_json(tmp_path):
    (tmp_path / "x.json").write_text('{"hello": 1}')
    with pytest.raises(MigsmithError, match="not a migsmith eval results.json"):
        load_results(tmp_path / "x.json")


def test_threshold_check_and_ratchet(doc_results, tmp_path):
    path = tmp_path / "threshold.json"
    path.write_text(json.dumps({"min_score": 101.0}))
    assert check_threshold(doc_results, read_threshold(path))
    path.write_text(json.dumps({"min_score": 10.0, "min_pass_rate": 0.0}))
    assert not check_threshold(doc_results, read_threshold(path))
    new = raise_threshold(doc_results, path)
    assert new["min_score"] == pytest.approx(doc_results.score, abs=0.01)
    path.write_text(json.dumps({"min_score": 100.0, "min_pass_rate": 100.0}))
    assert raise_threshold(doc_results, path)["min_score"] == 100.0  # never lowered


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "migsmith", "eval", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_report_json_and_compare(tmp_path):
    first = run_cli("--only", "doc-spec-users-email-index,doc-spec-rename-created", "-j", "2",
                    "--report", str(tmp_path / "a"))
    assert first.returncode == 0, first.stderr
    assert "suite score" in first.stdout
    second = run_cli("--only", "doc-spec-users-email-index,doc-spec-rename-created", "--compare", str(tmp_path / "a" / "results.json"),
                     "--json")
    data = json.loads(second.stdout)
    assert data["summary"]["cases"] == 2 and data["comparison"]["worse"] == []


def test_cli_threshold_gate_fails_below_the_minimum(tmp_path):
    high = tmp_path / "t.json"
    high.write_text(json.dumps({"min_score": 100.01}))
    res = run_cli("--only", "doc-spec-users-email-index", "--check-threshold", "--threshold",
                  str(high))
    assert res.returncode == 1 and "below the recorded minimum" in res.stderr


def test_cli_bad_case_file_is_one_clear_line(tmp_path):
    (tmp_path / "bad.yaml").write_text("cases:\n  - id: x\n    request: hi\n")
    res = run_cli("--cases", str(tmp_path / "bad.yaml"))
    assert res.returncode == 1
    assert "bad.yaml: case 1 (x)" in res.stderr and "Traceback" not in res.stderr


def test_offline_suite_meets_the_recorded_threshold():
    """The CI gate as a test: the whole offline suite, against evals/threshold.json."""
    suite = run_suite(load_cases(), RunConfig(), jobs=2)
    problems = check_threshold(suite, read_threshold())
    assert not problems, problems
