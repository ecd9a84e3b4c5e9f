"""The Anthropic backend: the Messages API through the official SDK (which sends through httpx2).

The system prompt and tool definitions are marked for prompt caching: they are identical on
every turn and are most of the input. The SDK retries 429, 529, other 5xx, timeouts and
connection errors with backoff; when the retries run out the error says what happened and what
to do, in one line.
"""

from __future__ import annotations

import copy
import os
import time

import anthropic
import httpx2

from migsmith.agent import config
from migsmith.agent.model import AssistantTurn, ModelError, ToolCall, Usage


class AnthropicModel:
    def __init__(self, model_id: str | None = None, *, api_key: str | None = None,
                 base_url: str | None = None, timeout_s: float = config.REQUEST_TIMEOUT_S,
                 max_retries: int = config.MAX_RETRIES,
                 max_tokens: int = config.MAX_OUTPUT_TOKENS):
        self.model_id = config.anthropic_model_id(model_id)
        self.name = f"anthropic:{self.model_id}"
        key = api_key or os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise ModelError("ANTHROPIC_API_KEY is not set",
                             hint="export it, or use --model offline")
        self.timeout_s, self.max_retries, self.max_tokens = timeout_s, max_retries, max_tokens
        self.client = anthropic.Anthropic(
            api_key=key, base_url=base_url or os.environ.get("ANTHROPIC_BASE_URL") or None,
            max_retries=max_retries, timeout=httpx2.Timeout(timeout_s, connect=min(timeout_s, 5.0)))
        self.requests: list[dict] = []  # per request: latency and usage

    def respond(self, system: str, messages: list[dict], tools: list[dict]) -> AssistantTurn:
        started = time.perf_counter()
        try:
            reply = self.client.messages.create(
                model=self.model_id, max_tokens=self.max_tokens,
                system=[{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}],
                tools=cached_tools(tools), messages=messages)
        except anthropic.APIError as exc:
            raise self._explain(exc) from None
        latency = time.perf_counter() - started
        turn = AssistantTurn(latency_s=latency, stop_reason=reply.stop_reason,
                             usage=_usage(reply.usage))
        texts = []
        for block in reply.content:
            if block.type == "text":
                texts.append(block.text)
            elif block.type == "tool_use":
                turn.tool_calls.append(ToolCall(block.id, block.name, dict(block.input or {})))
        turn.text = "\n".join(texts)
        self.requests.append({"latency_s": latency, **turn.usage.to_dict()})
        return turn

    def _explain(self, exc: anthropic.APIError) -> ModelError:
        tries = f"after {self.max_retries} retries" if self.max_retries else "(retries off)"
        fallback = "try again later, or use --model offline"
        if isinstance(exc, anthropic.APITimeoutError):
            return ModelError(f"Anthropic API timed out ({self.timeout_s:g}s per request) {tries}",
                              hint=fallback)
        if isinstance(exc, anthropic.APIConnectionError):
            return ModelError(f"cannot reach the Anthropic API at {self.client.base_url} {tries}",
                              hint="check the network or ANTHROPIC_BASE_URL, or use --model offline")
        status = getattr(exc, "status_code", None)
        detail = _error_message(exc)
        if status == 429:
            return ModelError(f"Anthropic API rate limit (429) still hit {tries}", hint=fallback)
        if status == 529:
            return ModelError(f"Anthropic API overloaded (529) {tries}", hint=fallback)
        if status in (401, 403):
            return ModelError(f"Anthropic API refused the key ({status}): {detail}",
                              hint="check ANTHROPIC_API_KEY")
        if status == 404:
            return ModelError(f"Anthropic model {self.model_id!r} not found: {detail}",
                              hint="set MIGSMITH_MODEL or --model anthropic:<id> to a current model")
        if status is not None and status >= 500:
            return ModelError(f"Anthropic API server error ({status}) {tries}: {detail}",
                              hint=fallback)
        return ModelError(f"Anthropic API error ({status}): {detail}")


def cached_tools(tools: list[dict]) -> list[dict]:
    """Tool definitions with a cache breakpoint on the last one (covers system + all tools)."""
    out = copy.deepcopy(tools)
    if out:
        out[-1]["cache_control"] = {"type": "ephemeral"}
    return out


def _usage(usage) -> Usage:
    return Usage(input_tokens=usage.input_tokens or 0, output_tokens=usage.output_tokens or 0,
                 cache_read_tokens=getattr(usage, "cache_read_input_tokens", None) or 0,
                 cache_write_tokens=getattr(usage, "cache_creation_input_tokens", None) or 0)


def _error_message(exc: anthropic.APIError) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
    return str(getattr(exc, "message", exc))
