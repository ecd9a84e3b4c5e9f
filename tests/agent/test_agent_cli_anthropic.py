"""`migsmith plan REQUEST` with the Anthropic backend, against the local stand-in."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agent_scripts import RECORDED
from agent_stand_in import StandIn, Status
from migsmith.agent.config import DEFAULT_ANTHROPIC_MODEL, resolve_backend
from migsmith.tools.errors import MigsmithError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "stand-in-key")
    monkeypatch.delenv("MIGSMITH_MODEL", raising=False)


def _plan(tmp_path, stand_in, *extra, model="auto"):
    """The real command, in-process, so the test pays no interpreter start."""
    from cli_run import invoke

    os.environ["ANTHROPIC_BASE_URL"] = stand_in.url
    try:
        result = invoke([
            "plan", RECORDED["doc_rename_created"][0], "--schema", "examples/schema.sql",
            "--out", str(tmp_path / "plan"), "--no-verify", "--json", "--model", model, *extra])
    finally:
        del os.environ["ANTHROPIC_BASE_URL"]
    return result


def test_auto_uses_anthropic_when_a_key_is_set(tmp_path):
    with StandIn(RECORDED["doc_rename_created"][1]) as s:
        proc = _plan(tmp_path, s)
    assert proc.exit_code == 0, proc.output
    agent = json.loads(proc.stdout)["agent"]
    assert agent["model"] == f"anthropic:{DEFAULT_ANTHROPIC_MODEL}"
    assert agent["turns"] == 2 and agent["usage"]["cache_read_tokens"] > 0
    assert s.requests[0]["model"] == DEFAULT_ANTHROPIC_MODEL


def test_model_id_from_the_command_line_and_a_clear_failure(tmp_path):
    with StandIn([Status(529, "overloaded_error")] * 10) as s:
        proc = _plan(tmp_path, s, model="anthropic:claude-test-id")
    assert proc.exit_code == 1
    assert "overloaded (529) after 3 retries" in " ".join(proc.stderr.split())
    assert {r["model"] for r in s.requests} == {"claude-test-id"}
    assert not (tmp_path / "plan").exists()


def test_resolve_backend(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert resolve_backend("auto") == ("offline", None)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "x")
    assert resolve_backend("auto") == ("anthropic", None)
    assert resolve_backend("anthropic:claude-x") == ("anthropic", "claude-x")
    with pytest.raises(MigsmithError, match="unknown model 'gpt'"):
        resolve_backend("gpt")
