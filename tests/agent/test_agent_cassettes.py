"""The Anthropic backend against recorded HTTP traffic (vcrpy cassettes, no network)."""

from __future__ import annotations

import json

import pytest
import yaml

from migsmith.agent.runner import request_to_spec
from migsmith.agent.tools import ToolContext, definitions
from migsmith.agent.backends.anthropic import cached_tools
from migsmith.tools.spec.changespec import parse_spec
from migsmith.tools.spec.examples import EXAMPLES
from agent_cassettes import CASSETTES, anthropic_model
from agent_scripts import OP_REQUESTS, RECORDED, doc_spec


def _ops(spec) -> list[dict]:
    return [op.model_dump(mode="json", exclude_none=True) for op in spec.operations]


@pytest.mark.parametrize("name", ["doc_add_email_verified", "doc_rename_created",
                                  "doc_users_email_index"])
def test_document_examples_replay_to_the_document_specs(name, schema):
    request, script = RECORDED[name]
    with anthropic_model(name, script) as model:
        result = request_to_spec(request, schema, model=model)
    expected = doc_spec(name)
    assert _ops(result.spec) == _ops(parse_spec(expected))
    assert result.turns <= 3  # look, then submit (2 in the recorded cassettes; see the bench)
    assert result.tool_calls[:2] == ["list_tables", "describe_table"]
    assert result.usage.input_tokens > 0 and result.usage.output_tokens > 0
    assert result.model.startswith("anthropic:")


def test_repair_after_an_invalid_spec(schema):
    request, script = RECORDED["repair_not_null_without_default"]
    with anthropic_model("repair_not_null_without_default", script) as model:
        result = request_to_spec(request, schema, model=model)
    assert result.turns == 3
    column = result.spec.operations[0].column
    assert (column.name, column.nullable, column.default) == ("nickname", False, "''")
    errors = [b for m in result.transcript if isinstance(m["content"], list)
              for b in m["content"] if b.get("type") == "tool_result" and b.get("is_error")]
    assert len(errors) == 1 and "NOT NULL without a default" in errors[0]["content"]


def test_cassettes_carry_no_credentials_and_use_prompt_caching():
    files = sorted(CASSETTES.glob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        data = yaml.safe_load(path.read_text())
        for interaction in data["interactions"]:
            headers = {k.lower() for k in interaction["request"]["headers"]}
            assert not headers & {"authorization", "x-api-key"}, path.name
            body = json.loads(interaction["request"]["body"])
            assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
            assert body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
            assert "cache_control" not in body["tools"][0]


@pytest.mark.parametrize("kind", sorted(OP_REQUESTS))
def test_one_cassette_per_operation_kind_replays_to_its_spec(kind, schema):
    request, script = RECORDED[f"op_{kind}"]
    with anthropic_model(f"op_{kind}", script) as model:
        result = request_to_spec(request, schema, model=model)
    assert _ops(result.spec) == _ops(parse_spec(EXAMPLES[kind]))
    assert result.tool_calls[-1] == "submit_change_spec"


def test_the_recorded_requests_are_what_the_sdk_sends_today(schema):
    """Each cassette's requests carry today's tool definitions (with the cache breakpoint) and
    the Messages API's required fields: a changed tool schema means re-recording (one command,
    docs/agent.md)."""
    from migsmith.agent.prompts import SYSTEM_PROMPT

    tools = cached_tools(definitions(ToolContext(schema=schema, request="")))
    for path in sorted(CASSETTES.glob("*.yaml")):
        for interaction in yaml.safe_load(path.read_text())["interactions"]:
            request = interaction["request"]
            assert request["method"] == "POST" and request["uri"].endswith("/v1/messages")
            body = json.loads(request["body"])
            assert {"model", "max_tokens", "messages", "system", "tools"} <= body.keys()
            assert body["tools"] == tools, f"{path.name}: tool definitions changed; re-record"
            assert body["system"][0]["text"] == SYSTEM_PROMPT, f"{path.name}: prompt changed"
            assert body["messages"][0]["role"] == "user"
