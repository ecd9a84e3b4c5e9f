"""migsmith: safe, reversible database migration plans, proven before they ship."""

__version__ = "0.1.0"
