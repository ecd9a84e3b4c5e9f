"""From a request to a validated ChangeSpec: pick a backend, run the loop, collect what the
CLI reports (usage, turns, latency) and where the user's code uses what changes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from migsmith.agent.code_search import CodeReference, find_references, schema_files
from migsmith.agent.guard import check_request
from migsmith.agent.loop import LoopResult, run_loop
from migsmith.agent.model import Model, Usage
from migsmith.agent.tools import ToolContext
from migsmith.tools.errors import SpecError
from migsmith.tools.schema.model import Schema
from migsmith.tools.spec.changespec import ChangeSpec


@dataclass
class AgentResult:
    spec: ChangeSpec
    transcript: list[dict]
    model: str
    turns: int
    usage: Usage
    latency_s: float
    model_latencies_s: list[float] = field(default_factory=list)
    tool_calls: list[str] = field(default_factory=list)
    code_references: list[CodeReference] = field(default_factory=list)
    note: str = ""  # what the model said besides the spec (assumptions it made)

    def summary(self) -> dict:
        return {"model": self.model, "turns": self.turns, "tool_calls": self.tool_calls,
                "usage": self.usage.to_dict(), "latency_s": round(self.latency_s, 4),
                "model_latencies_s": [round(x, 4) for x in self.model_latencies_s],
                "note": self.note or None,
                "code_references": [r.to_dict() for r in self.code_references]}


def make_model(model: str | Model = "auto") -> Model:
    """A backend from a name: auto, offline, anthropic or anthropic:<model id>."""
    if not isinstance(model, str):
        return model
    from migsmith.agent.config import resolve_backend

    backend, model_id = resolve_backend(model)
    if backend == "offline":
        from migsmith.agent.backends.offline import OfflineModel

        return OfflineModel()
    from migsmith.agent.backends.anthropic import AnthropicModel

    return AnthropicModel(model_id)


def request_to_spec(request: str, schema: Schema, *, model: str | Model = "auto",
                    code_path: str | Path | None = None, dialect: str | None = None,
                    ask: Callable[[str], str] | None = None,
                    history: list[dict] | None = None,
                    session_requests: str = "") -> AgentResult:
    """Turn ``request`` into a ChangeSpec valid against ``schema``; SpecError when it cannot.

    ``history`` (chat) carries earlier turns so "also make it not null" has something to
    refer to; ``session_requests`` is the text of those earlier requests, which the drop guard
    reads as well.
    """
    text = check_request(request)
    backend = make_model(model)
    code = Path(code_path) if code_path else None
    if code is not None and not code.exists():
        raise SpecError(f"--code path not found: {code}")
    ctx = ToolContext(schema=schema, request=f"{session_requests}\n{text}".strip(),
                      dialect=dialect or schema.dialect, code_path=code, ask=ask)
    started = time.perf_counter()
    loop = run_loop(backend, text, ctx, history=history)
    elapsed = time.perf_counter() - started
    if loop.spec is None:
        raise SpecError(_no_spec_message(loop))
    refs = code_references_for(loop.spec, schema, code) if code is not None else []
    return AgentResult(spec=loop.spec, transcript=loop.messages, model=backend.name,
                       turns=loop.turns, usage=loop.usage, latency_s=elapsed,
                       model_latencies_s=loop.latencies_s, tool_calls=loop.tool_calls,
                       code_references=refs, note=_last_text(loop))


def _no_spec_message(loop: LoopResult) -> str:
    said = " ".join(loop.final_text.split())
    if said:
        return f"no change planned: {said}"
    return "no change planned: the model stopped without submitting a spec"


def _last_text(loop: LoopResult) -> str:
    for msg in reversed(loop.messages):
        if msg["role"] == "assistant":
            texts = [b["text"] for b in msg["content"] if b.get("type") == "text"]
            if texts:
                return " ".join(texts).strip()
    return ""


# ------------------------------------------------------------------------ code references

def touched_identifiers(spec: ChangeSpec) -> list[tuple[str, str | None]]:
    """(identifier, table) pairs whose uses in code a change may break or must follow."""
    out: list[tuple[str, str | None]] = []
    for op in spec.operations:
        table = getattr(op, "table", None)
        if op.op in ("rename_table", "drop_table"):
            out.append((table.split(".")[-1], None))
        elif isinstance(getattr(op, "column", None), str):
            out.append((op.column, table))
    seen, unique = set(), []
    for item in out:
        if item not in seen:
            seen.add(item)
            unique.append(item)
    return unique


def code_references_for(spec: ChangeSpec, schema: Schema, root: Path) -> list[CodeReference]:
    refs: list[CodeReference] = []
    for identifier, table in touched_identifiers(spec):
        also = _table_words(table) if table else ()
        refs.extend(find_references(identifier, root, also=also, limit=50,
                                    exclude=schema_files(schema)))
    return refs


def _table_words(table: str) -> tuple[str, ...]:
    base = table.split(".")[-1]
    singular = base[:-1] if base.endswith("s") else base
    camel = "".join(p.capitalize() for p in singular.split("_"))
    return tuple(dict.fromkeys((base, singular, camel)))


def attach_code_references(plan, refs: list[CodeReference]) -> None:
    """Fill plan.code_changes[*].references with file:line of the code that uses what changes.

    A reference goes to the code change whose summary names its identifier; references no
    code change names get one code change of their own.
    """
    from migsmith.tools.planning.plan import CodeChange

    import re

    leftover: dict[str, list[str]] = {}
    for ref in refs:
        word = re.compile(rf"(?<!\w){re.escape(ref.identifier)}(?!\w)", re.IGNORECASE)
        target = next((c for c in plan.code_changes if word.search(c.summary)), None)
        loc = ref.location()
        if target is not None:
            if loc not in target.references:
                target.references.append(loc)
        else:
            leftover.setdefault(ref.identifier, []).append(loc)
    for identifier, locs in leftover.items():
        plan.code_changes.append(CodeChange(
            summary=f"Code that uses {identifier}: review it against the change.",
            references=list(dict.fromkeys(locs))))
