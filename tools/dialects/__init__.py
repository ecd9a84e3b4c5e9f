"""One class per database, each overriding only what differs from ``base.Dialect``."""

from __future__ import annotations

import importlib
from functools import lru_cache

from migsmith.tools.errors import SpecError

# name -> "module:Class"; modules load on first use.
REGISTRY = {
    "postgres": "migsmith.tools.dialects.postgres:Postgres",
    "mysql": "migsmith.tools.dialects.mysql:MySQL",
    "sqlite": "migsmith.tools.dialects.sqlite:SQLite",
}
ALIASES = {"postgresql": "postgres", "pg": "postgres", "mariadb": "mysql", "sqlite3": "sqlite"}


@lru_cache(maxsize=32)
def get_dialect(name: str, version: str | None = None):
    """The (stateless, shared) dialect object; cached so templates compile once per process."""
    key = ALIASES.get(name.lower(), name.lower())
    if key not in REGISTRY:
        raise SpecError(f"unknown dialect {name!r}", hint="use postgres, mysql or sqlite")
    module_name, cls_name = REGISTRY[key].split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise SpecError(f"the {key} dialect is not available yet") from None
        raise
    return getattr(module, cls_name)(version)
