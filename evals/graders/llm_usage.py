"""LLM usage: tokens, turns and latency of the request -> spec step, for model runs.

Passes while the loop stays within the case's turn budget (default 6). Offline runs carry no
usage worth grading, so the grade only appears when a model was called.
"""

from __future__ import annotations

from migsmith.evals.graders.base import GradeResult, RunOutput

NAME = "llm_usage"
DEFAULT_MAX_TURNS = 6


def usage_of(agent) -> dict:
    """Tokens, turns and latency from an AgentResult, whatever shape its summary has."""
    summary = agent.summary() if hasattr(agent, "summary") else {}
    usage = summary.get("usage") or getattr(agent, "usage", None) or {}
    if not isinstance(usage, dict):
        usage = usage.__dict__ if hasattr(usage, "__dict__") else {}
    turns = summary.get("turns", getattr(agent, "turns", None))
    latency = summary.get("latency_s", summary.get("latency", getattr(agent, "latency", None)))
    return {
        "input_tokens": int(usage.get("input_tokens") or 0),
        "output_tokens": int(usage.get("output_tokens") or 0),
        "cache_read_input_tokens": int(usage.get("cache_read_input_tokens") or 0),
        "turns": int(turns) if isinstance(turns, (int, float)) else None,
        "latency_s": float(latency) if isinstance(latency, (int, float)) else None,
    }


def grade(case, result: RunOutput) -> GradeResult | None:
    if result.model == "offline" or result.agent is None:
        return None
    data = usage_of(result.agent)
    budget = case.expect.max_turns or DEFAULT_MAX_TURNS
    turns = data["turns"]
    text = (f"{turns} turn(s), {data['input_tokens']} in / {data['output_tokens']} out tokens, "
            f"{data['latency_s'] or 0:.1f} s")
    if turns is not None and turns > budget:
        return GradeResult(NAME, False, budget / turns, f"{text}: over the budget of {budget}",
                           data=data)
    return GradeResult(NAME, True, 1.0, text, data=data)
