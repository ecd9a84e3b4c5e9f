"""The one interface every model backend speaks: system prompt, messages and tools in, one
assistant turn (text, tool calls, usage) out.

Messages use the Anthropic Messages shape (role + content blocks: text, tool_use,
tool_result) because it is the richest of the common formats and the loop needs nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from migsmith.tools.errors import MigsmithError


class ModelError(MigsmithError):
    """The model backend could not answer (unreachable, rate-limited, misconfigured)."""


@dataclass
class ToolCall:
    id: str
    name: str
    input: dict[str, Any]


@dataclass
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def add(self, other: "Usage") -> None:
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cache_read_tokens += other.cache_read_tokens
        self.cache_write_tokens += other.cache_write_tokens

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class AssistantTurn:
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    latency_s: float = 0.0
    stop_reason: str | None = None

    def as_message(self) -> dict:
        content: list[dict] = []
        if self.text:
            content.append({"type": "text", "text": self.text})
        content += [{"type": "tool_use", "id": c.id, "name": c.name, "input": c.input}
                    for c in self.tool_calls]
        return {"role": "assistant", "content": content}


class Model(Protocol):
    """A backend: ``name`` for reports, ``respond`` for one assistant turn. A backend that
    reads only the tools' names sets ``tool_schemas = False``: it is then sent
    ``{"name": ...}`` per tool, without the input schemas (generating them costs a one-shot
    CLI call more than its planning)."""

    name: str
    tool_schemas: bool

    def respond(self, system: str, messages: list[dict], tools: list[dict]) -> AssistantTurn:
        ...
