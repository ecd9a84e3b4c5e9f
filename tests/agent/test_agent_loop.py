"""The loop's limits and failure modes, with scripted models (no network)."""

from __future__ import annotations

import pytest

from agent_stand_in import StandIn, text
from migsmith.agent.backends.anthropic import AnthropicModel
from migsmith.agent.model import AssistantTurn, ToolCall
from migsmith.agent.runner import request_to_spec
from migsmith.agent.tools import ToolContext, definitions
from migsmith.tools.errors import SpecError


class Scripted:
    """A model that plays back fixed turns and records what it was sent."""

    name = "scripted"

    def __init__(self, turns):
        self.turns = list(turns)
        self.seen: list[list[dict]] = []

    def respond(self, system, messages, tools):
        self.seen.append([dict(m) for m in messages])
        return self.turns.pop(0) if self.turns else AssistantTurn(
            tool_calls=[ToolCall(f"t{len(self.seen)}", "list_tables", {})])


def test_turn_limit_ends_with_a_clear_failure(schema):
    model = Scripted([])  # looks forever
    with pytest.raises(SpecError, match="no valid change spec after 8 model turns"):
        request_to_spec("add a column", schema, model=model)
    assert len(model.seen) == 8


def test_invalid_tool_input_goes_back_as_an_error_result(schema):
    model = Scripted([
        AssistantTurn(tool_calls=[ToolCall("a", "describe_table", {"tbl": "users"}),
                                  ToolCall("b", "describe_table", {"table": "usr"}),
                                  ToolCall("c", "no_such_tool", {})]),
        AssistantTurn(tool_calls=[ToolCall("d", "submit_change_spec", {"operations": [
            {"op": "add_index", "table": "users", "columns": ["email"]}]})]),
    ])
    result = request_to_spec("index users by email", schema, model=model)
    results = model.seen[1][-1]["content"]
    assert [r["is_error"] for r in results] == [True, True, True]
    assert "table: Field required" in results[0]["content"]
    assert "did you mean 'users'" in results[1]["content"]
    assert "unknown tool 'no_such_tool'" in results[2]["content"]
    assert result.spec.operations[0].columns == ["email"]


def test_model_that_never_submits(schema):
    with StandIn([[text("That is not something I can do with a schema change.")]]) as s:
        model = AnthropicModel("claude-sonnet-5-5", api_key="k", base_url=s.url, max_retries=0)
        with pytest.raises(SpecError, match="no change planned: That is not something"):
            request_to_spec("order me a pizza", schema, model=model)
    assert len(s.requests) == 1


def test_unrequested_drop_is_refused_whatever_the_model(schema):
    model = Scripted([
        AssistantTurn(tool_calls=[ToolCall("a", "submit_change_spec", {"operations": [
            {"op": "drop_column", "table": "users", "column": "legacy_avatar"}]})]),
        AssistantTurn(text="giving up"),
    ])
    with pytest.raises(SpecError, match="giving up"):
        request_to_spec("index users by email", schema, model=model)
    refusal = model.seen[1][-1]["content"][0]
    assert refusal["is_error"] and "does not ask to remove 'legacy_avatar'" in refusal["content"]


def test_model_cannot_allow_data_loss_itself(schema):
    model = Scripted([AssistantTurn(tool_calls=[ToolCall("a", "submit_change_spec", {
        "operations": [{"op": "drop_column", "table": "users", "column": "legacy_avatar"}],
        "options": {"allow_data_loss": True}})])])
    result = request_to_spec("drop legacy_avatar from users", schema, model=model)
    assert result.spec.options.allow_data_loss is False


def test_tool_schemas_come_from_signatures(schema):
    defs = {d["name"]: d for d in definitions(ToolContext(schema=schema, request=""))}
    assert defs["describe_table"]["input_schema"]["required"] == ["table"]
    assert defs["describe_table"]["input_schema"]["properties"]["table"]["type"] == "string"
    assert "operations" in defs["submit_change_spec"]["input_schema"]["properties"]
    assert "ask_user" not in defs and "find_code_references" not in defs
