"""The offline backend: a deterministic planner that speaks the model protocol.

It makes the calls a model would make: look (list_tables), then submit_change_spec with what
it read from the request; ask_user when a column's table is ambiguous and a user is there to
ask; otherwise it answers in words with what it did not understand. No network, no tokens.
"""

from __future__ import annotations

import json
import re
import time

from migsmith.agent.backends.offline.catalog import Catalog
from migsmith.agent.backends.offline.reading import interpret
from migsmith.agent.model import AssistantTurn, ToolCall


def explain(request: str, schema, dialect: str | None = None) -> list[str]:
    """How the offline reader reads ``request`` against ``schema``: one line per stage
    decision (`migsmith plan --explain`)."""
    from migsmith.agent.guard import check_request
    from migsmith.agent.tools import ToolContext, list_tables

    catalog = Catalog.from_list_tables(list_tables(ToolContext(schema=schema, request="",
                                                               dialect=dialect or schema.dialect)))
    reading = interpret(check_request(request), catalog)
    return reading.trace + [f"result: {op}" for op in reading.operations] + [
        f"refused: {p}" for p in reading.problems] + ([f"asks: {reading.question}"] if reading.question else [])


class OfflineModel:
    name = "offline"

    def respond(self, system: str, messages: list[dict], tools: list[dict]) -> AssistantTurn:
        started = time.perf_counter()
        turn = self._decide(messages, {t["name"] for t in tools})
        turn.latency_s = time.perf_counter() - started
        return turn

    def _decide(self, messages: list[dict], tool_names: set[str]) -> AssistantTurn:
        start = max(i for i, m in enumerate(messages) if m["role"] == "user" and _text(m))
        request = _text(messages[start])
        previous = _accepted_spec(messages[:start + 1])
        calls, results = _calls_and_results(messages[start + 1:])
        n = len(calls) + 1

        submitted = [c for c in calls if c["name"] == "submit_change_spec"]
        if submitted:
            result = results.get(submitted[-1]["id"])
            if result and result["is_error"]:
                return AssistantTurn(text=f"The spec was refused: {result['content']}",
                                     stop_reason="end_turn")
        listed = [results[c["id"]] for c in calls if c["name"] == "list_tables" and c["id"] in results]
        if not listed or listed[-1]["is_error"]:
            return _call(n, "list_tables", {})
        catalog = Catalog.from_list_tables(json.loads(listed[-1]["content"]))
        answers = [json.loads(results[c["id"]]["content"]).get("answer", "")
                   for c in calls if c["name"] == "ask_user" and c["id"] in results
                   and not results[c["id"]]["is_error"]]
        reading = interpret(request, catalog, previous=previous,
                            answer=answers[-1] if answers else None)
        if reading.question:
            if "ask_user" in tool_names and not answers:
                return _call(n, "ask_user", {"question": reading.question})
            named = re.search(r"\s'([^'\s]+)'", reading.question)
            example = f"{reading.choices[0]}.{named.group(1) if named else 'column'}"
            return AssistantTurn(text=f"The request is ambiguous: {reading.question} Name the "
                                      f"table (for example {example}).", stop_reason="end_turn")
        if reading.problems:
            return AssistantTurn(text="; ".join(reading.problems), stop_reason="end_turn")
        spec = {"description": reading.description or _sentence(request),
                "operations": reading.operations}
        if previous:  # an amendment keeps the name and purpose of the spec it amends
            spec.update({k: previous[k] for k in ("name", "description") if previous.get(k)})
        if reading.options:
            spec["options"] = reading.options
        text = ("Assumed: " + "; ".join(reading.assumptions) + ".") if reading.assumptions else ""
        return AssistantTurn(text=text, tool_calls=[ToolCall(f"offline_{n}", "submit_change_spec", spec)],
                             stop_reason="tool_use")


def _text(message: dict) -> str:
    """The words of a user message (a request), not its tool results."""
    content = message["content"]
    if isinstance(content, str):
        return content
    return "\n".join(b["text"] for b in content if b.get("type") == "text")


def _call(n: int, name: str, args: dict) -> AssistantTurn:
    return AssistantTurn(tool_calls=[ToolCall(f"offline_{n}", name, args)], stop_reason="tool_use")


def _calls_and_results(messages: list[dict]) -> tuple[list[dict], dict[str, dict]]:
    calls, results = [], {}
    for m in messages:
        if isinstance(m["content"], str):
            continue
        for block in m["content"]:
            if block.get("type") == "tool_use":
                calls.append(block)
            elif block.get("type") == "tool_result":
                content = block.get("content")
                if isinstance(content, list):
                    content = "".join(b.get("text", "") for b in content)
                results[block["tool_use_id"]] = {"content": content,
                                                 "is_error": bool(block.get("is_error"))}
    return calls, results


def _accepted_spec(messages: list[dict]) -> dict | None:
    """The last spec submitted and accepted earlier in the conversation (chat amendments)."""
    calls, results = _calls_and_results(messages)
    for call in reversed(calls):
        if call["name"] == "submit_change_spec":
            res = results.get(call["id"])
            if res and not res["is_error"]:
                return call["input"]
    return None


def _sentence(request: str) -> str:
    text = " ".join(request.split())
    return text if len(text) <= 200 else text[:197] + "..."
