"""The deterministic core of migsmith, one folder per stage, in the order data flows:

``spec/`` (ChangeSpec and the checks on what it carries) -> ``schema/`` (the model and its
loaders) -> ``planning/`` (actions, the planner, PLAN.md, the writer) with ``dialects/`` (one
class per database) and ``templates/`` -> ``proving/`` (shadow databases, sample rows, catalog
snapshots, verify) -> ``running/`` (the executor and the backfill runner, against a database
someone named); ``lint/`` reads any migration file.

Everything is pure (no network, no files) except ``schema.live*``, ``proving/``, ``running/``
and ``planning.writer``.
"""
