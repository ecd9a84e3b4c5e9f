"""Model backends: offline (deterministic, the default without an API key) and anthropic."""
