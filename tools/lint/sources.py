"""Which files ``migsmith lint PATH...`` reads.

* ``-`` is standard input;
* a file is linted whatever its name;
* a directory is walked recursively for ``*.sql`` files, in sorted order. That covers the
  migration files of every runner migsmith reads (Diesel ``up.sql``/``down.sql``, dbmate, goose,
  sqlx, golang-migrate, Flyway ``V1__x.sql``, Atlas, Liquibase formatted SQL, Prisma
  ``migration.sql``, postgres-migrations, migsmith's own plans); their configuration files
  (``metadata.toml``, ``*.sql.conf``, ``atlas.sum``, ``plan.json``) are read beside them, never
  linted. Hidden folders, ``node_modules`` and ``__pycache__`` are skipped, and so are the
  configuration's ``exclude-paths``;
* a path that does not exist, or a directory without a single SQL file, is a usage error (exit
  2): a typo in a CI job must not pass as "no findings".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from migsmith.tools.errors import UsageError

SKIPPED_FOLDERS = {"node_modules", "__pycache__"}


def _walk(folder: Path, config) -> list[Path]:
    found = []
    for root, dirs, names in os.walk(folder):
        base = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS
                         and not (config is not None and config.excludes(base / d)))
        for name in sorted(names):
            path = base / name
            if name.lower().endswith(".sql") and not (config is not None and config.excludes(path)):
                found.append(path)
    return found


def collect(paths: Iterable[str | os.PathLike[str]], *, config=None) -> list[str | Path]:
    """The files to lint, in order: ``-``, named files, then each directory's SQL files."""
    out: list[str | Path] = []
    for item in paths:
        if str(item) == "-":
            out.append("-")
            continue
        path = Path(item)
        if path.is_dir():
            found = _walk(path, config)
            if not found:
                raise UsageError(f"{item}: no .sql files in this directory"
                                 + (" (after exclude-paths)" if config is not None and config.exclude_paths else ""))
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            raise UsageError(f"{item}: no such file or directory")
    return out
