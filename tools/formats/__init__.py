"""Migration-tool formats: a plan written as the files of the tool a team already runs.

One module per tool, beside its templates in ``templates/<tool>/``; each has
``render(plan, target) -> Rendered`` (pure). ``sql`` is the plain plan directory itself.
"""

from __future__ import annotations

import importlib

FORMATS = ["sql", "golang-migrate", "dbmate", "flyway", "alembic", "django", "rails", "atlas",
           "sqitch"]


def get_format(name: str):
    """The adapter module for ``name`` (not for ``sql``, which is the plain plan)."""
    from migsmith.tools.errors import MigsmithError, did_you_mean

    if name not in FORMATS or name == "sql":
        hint = did_you_mean(name, FORMATS)
        raise MigsmithError(f"unknown format {name!r}: formats are {', '.join(FORMATS)}",
                            hint=hint)
    return importlib.import_module(f"migsmith.tools.formats.{name.replace('-', '_')}")
