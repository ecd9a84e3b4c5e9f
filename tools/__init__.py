"""The deterministic core of migsmith: spec, schema, impact, strategy, rendering, verify, lint.

Everything here is pure (no network, no files) except the modules whose names say otherwise
(``schema.live``, ``shadow``, ``verify``, ``backfill_runner``, ``writer``).
"""
