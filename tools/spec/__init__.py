"""The request's structured form: ChangeSpec, and the checks on the names and SQL fragments it carries."""
