"""Retries and their final errors, against the local stand-in of the Messages endpoint."""

from __future__ import annotations

import time

import pytest

from agent_stand_in import Slow, StandIn, Status, tool_use
from migsmith.agent.backends.anthropic import AnthropicModel
from migsmith.agent.model import ModelError
from migsmith.agent.runner import request_to_spec

SUBMIT_INDEX = [tool_use("toolu_1", "submit_change_spec", {"operations": [
    {"op": "add_index", "table": "users", "columns": ["email"]}]})]


def _model(stand_in, **kw) -> AnthropicModel:
    kw.setdefault("max_retries", 2)
    return AnthropicModel("claude-sonnet-5-5", api_key="k", base_url=stand_in.url, **kw)


@pytest.mark.parametrize("code,kind", [(429, "rate_limit_error"), (529, "overloaded_error")])
def test_retries_then_succeeds(code, kind, schema):
    with StandIn([Status(code, kind), Status(code, kind), SUBMIT_INDEX]) as s:
        result = request_to_spec("index users.email", schema, model=_model(s))
    assert len(s.requests) == 3
    assert result.spec.operations[0].op == "add_index"


@pytest.mark.parametrize("code,kind,words", [(429, "rate_limit_error", "rate limit (429)"),
                                             (529, "overloaded_error", "overloaded (529)")])
def test_final_error_when_retries_run_out(code, kind, words, schema):
    with StandIn([Status(code, kind)] * 5) as s:
        with pytest.raises(ModelError) as info:
            request_to_spec("index users.email", schema, model=_model(s))
    assert len(s.requests) == 3  # the first try and two retries
    assert words in str(info.value) and "after 2 retries" in str(info.value)
    assert "--model offline" in str(info.value)


def test_timeout_is_retried_then_reported(schema):
    with StandIn([Slow(2.0, SUBMIT_INDEX), Slow(2.0, SUBMIT_INDEX)]) as s:
        started = time.perf_counter()
        with pytest.raises(ModelError) as info:
            request_to_spec("index users.email", schema,
                            model=_model(s, timeout_s=0.2, max_retries=1))
    assert "timed out (0.2s per request) after 1 retries" in str(info.value)
    assert len(s.requests) == 2
    assert time.perf_counter() - started < 2.0


def test_connection_refused_is_a_clear_error(schema):
    model = AnthropicModel("claude-sonnet-5-5", api_key="k", base_url="http://127.0.0.1:9",
                           max_retries=0)
    with pytest.raises(ModelError, match="cannot reach the Anthropic API"):
        request_to_spec("index users.email", schema, model=model)


def test_missing_key_says_what_to_do(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ModelError, match="ANTHROPIC_API_KEY is not set"):
        AnthropicModel()


def test_usage_latency_and_caching_are_recorded(schema):
    script = [[tool_use("toolu_0", "list_tables", {})], SUBMIT_INDEX]
    with StandIn(script) as s:
        model = _model(s)
        result = request_to_spec("index users.email", schema, model=model)
    assert result.usage.cache_write_tokens > 0 and result.usage.cache_read_tokens > 0
    assert len(model.requests) == 2 and all(r["latency_s"] > 0 for r in model.requests)
    assert s.requests[0]["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert "k" in (s.headers[0].get("x-api-key") or s.headers[0].get("authorization", ""))
    summary = result.summary()
    assert summary["turns"] == 2 and summary["usage"]["output_tokens"] > 0
