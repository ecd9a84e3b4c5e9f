"""One module per CLI command; each exposes ``register(app)``. The CLI itself holds no logic."""
