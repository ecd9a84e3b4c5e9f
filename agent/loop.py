"""The agent loop: ask the model, run the tools it calls, feed the results back, until a spec
is accepted, the model stops, or the turn budget runs out.

The loop never writes SQL. It ends with a validated ChangeSpec; the deterministic planner
(migsmith.tools.planning.planner.build_plan) does everything after that.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from migsmith.agent.config import MAX_TURNS
from migsmith.agent.model import Model, Usage
from migsmith.agent.prompts import SYSTEM_PROMPT
from migsmith.agent.tools import ToolContext, call_tool, definitions, tools_for
from migsmith.tools.errors import SpecError
from migsmith.tools.spec.changespec import ChangeSpec


@dataclass
class LoopResult:
    spec: ChangeSpec | None
    messages: list[dict]
    final_text: str = ""
    turns: int = 0
    usage: Usage = field(default_factory=Usage)
    latencies_s: list[float] = field(default_factory=list)
    tool_calls: list[str] = field(default_factory=list)


def run_loop(model: Model, request: str, ctx: ToolContext, *, max_turns: int = MAX_TURNS,
             history: list[dict] | None = None) -> LoopResult:
    messages = list(history or [])
    if messages and messages[-1]["role"] == "user" and isinstance(messages[-1]["content"], list):
        # a chat turn after an accepted spec: the tool results and the new request share one
        # user turn, so roles keep alternating
        messages[-1] = {"role": "user",
                        "content": messages[-1]["content"] + [{"type": "text", "text": request}]}
    else:
        messages.append({"role": "user", "content": request})
    tools = (definitions(ctx) if getattr(model, "tool_schemas", True)
             else [{"name": fn.__name__} for fn in tools_for(ctx)])
    result = LoopResult(spec=None, messages=messages)
    for _ in range(max_turns):
        started = time.perf_counter()
        turn = model.respond(SYSTEM_PROMPT, messages, tools)
        result.turns += 1
        result.usage.add(turn.usage)
        result.latencies_s.append(turn.latency_s or time.perf_counter() - started)
        messages.append(turn.as_message())
        if not turn.tool_calls:  # the model answered in words: it gives up or asks
            result.final_text = turn.text.strip()
            return result
        outcomes = []
        for call in turn.tool_calls:
            result.tool_calls.append(call.name)
            outcomes.append(call_tool(ctx, call))
        messages.append({"role": "user", "content": [o.as_block() for o in outcomes]})
        if ctx.submitted is not None:
            result.spec = ctx.submitted
            return result
    raise SpecError(f"no valid change spec after {max_turns} model turns; nothing was planned",
                    hint="make the request more specific, or write a spec (--spec FILE)")
