"""Agent settings in one place. The Anthropic model id lives here (and in MIGSMITH_MODEL), not
in code paths, because model ids are retired over time."""

from __future__ import annotations

import os

# Default Anthropic model; override with MIGSMITH_MODEL=<id> or --model anthropic:<id>.
DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-5-5"
MAX_TURNS = 8  # look, submit, a few repairs; more means the model is lost
MAX_OUTPUT_TOKENS = 4096
REQUEST_TIMEOUT_S = 60.0
MAX_RETRIES = 3  # on 429, 529, 5xx, timeouts and connection errors (SDK backoff)
MAX_REQUEST_CHARS = 4000


def anthropic_model_id(explicit: str | None = None) -> str:
    return explicit or os.environ.get("MIGSMITH_MODEL") or DEFAULT_ANTHROPIC_MODEL


def resolve_backend(model: str | None) -> tuple[str, str | None]:
    """'auto' | 'offline' | 'anthropic' | 'anthropic:<id>' -> (backend, model id or None)."""
    choice = (model or "auto").strip()
    backend, _, model_id = choice.partition(":")
    if backend == "auto":
        backend = "anthropic" if os.environ.get("ANTHROPIC_API_KEY") else "offline"
    if backend not in ("offline", "anthropic"):
        from migsmith.tools.errors import MigsmithError

        raise MigsmithError(f"unknown model {choice!r}",
                            hint="use offline, anthropic, anthropic:<model id> or auto")
    return backend, (model_id or None)
