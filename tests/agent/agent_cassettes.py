"""Recording and replaying the Anthropic backend's HTTP traffic (see docs/agent.md)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

CASSETTES = Path(__file__).resolve().parent / "cassettes"


def recording() -> str | None:
    """None when replaying; 'real' or 'stand-in' when MIGSMITH_RECORD=1 re-records."""
    if not os.environ.get("MIGSMITH_RECORD"):
        return None
    return "real" if os.environ.get("ANTHROPIC_API_KEY") else "stand-in"


def agent_vcr():
    import vcr

    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="all" if recording() else "none",
        filter_headers=["authorization", "x-api-key", "anthropic-organization-id"],
        match_on=["method", "path", "conversation"],
        decode_compressed_response=True,
    )


def _conversation(r1, r2) -> None:
    """Same turn of the same conversation: message count and the tools called so far."""
    import json

    def shape(req):
        body = json.loads(req.body or b"{}")
        msgs = body.get("messages", [])
        calls = [b.get("name") for m in msgs if isinstance(m.get("content"), list)
                 for b in m["content"] if b.get("type") == "tool_use"]
        return len(msgs), calls

    assert shape(r1) == shape(r2), f"{shape(r1)} != {shape(r2)}"


@contextmanager
def anthropic_model(cassette: str, script: list):
    """An AnthropicModel whose traffic replays ``cassette`` (or records it, see docs/agent.md)."""
    from migsmith.agent.backends.anthropic import AnthropicModel
    from agent_stand_in import StandIn

    v = agent_vcr()
    v.register_matcher("conversation", _conversation)
    mode = recording()
    with v.use_cassette(f"{cassette}.yaml"):
        if mode == "real":
            yield AnthropicModel()
        elif mode == "stand-in":
            with StandIn(script) as stand_in:
                yield AnthropicModel("claude-sonnet-5-5", api_key="stand-in-key",
                                     base_url=stand_in.url, max_retries=0)
        else:
            # Nothing listens on port 9: a request the cassette lacks fails instead of leaking.
            yield AnthropicModel("claude-sonnet-5-5", api_key="replay-key",
                                 base_url="http://127.0.0.1:9", max_retries=0)
