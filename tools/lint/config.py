"""Lint settings from the project: ``[tool.migsmith.lint]`` in ``pyproject.toml``, or ``[lint]`` in
``.migsmith.toml`` (the same table, without the ``tool.migsmith`` prefix).

    [tool.migsmith.lint]
    dialect = "postgres"
    pg-version = 15
    assume-in-transaction = true          # the runner wraps each file (opt-outs still win)
    rules = ["..."]                       # only these rules
    exclude = ["prefer-text"]             # never these rules
    exclude-paths = ["migrations/legacy", "**/seed_*.sql"]

The first directory, from the current one upwards, holding a ``.migsmith.toml`` or a
``pyproject.toml`` with that table is used (``.migsmith.toml`` wins in the same directory). A
setting given on the command line replaces the configured one. ``exclude-paths`` are
``fnmatch`` patterns (``*`` also crosses ``/``) against paths relative to the config file's
folder; they apply to files found by walking a directory, never to a file named on the command
line. An unknown key or a wrong type is a usage error, so a typo cannot switch a rule on or off
unnoticed.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migsmith.tools.errors import UsageError, did_you_mean

FILES = (".migsmith.toml", "pyproject.toml")


@dataclass
class LintConfig:
    dialect: str | None = None
    pg_version: int | None = None
    assume_in_transaction: bool | None = None
    rules: set[str] | None = None
    exclude: set[str] | None = None
    exclude_paths: list[str] = field(default_factory=list)
    root: Path | None = None  # the config file's folder: exclude-paths are relative to it
    source: Path | None = None

    def excludes(self, path: Path) -> bool:
        if not self.exclude_paths:
            return False
        try:
            rel = path.resolve().relative_to(self.root.resolve()) if self.root else path
        except ValueError:
            return False
        candidates = [rel.as_posix()] + [p.as_posix() for p in rel.parents if p.as_posix() != "."]
        return any(fnmatch.fnmatchcase(c, pattern.rstrip("/")) for c in candidates
                   for pattern in self.exclude_paths)


def _table(path: Path) -> dict[str, Any] | None:
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read ({exc})") from None
    if path.name == "pyproject.toml" and "tool.migsmith" not in text and "[tool]" not in text:
        return None  # not ours; skip parsing a large file
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("migsmith")
        if data is None:
            return None
    lint = data.get("lint", {})
    if not isinstance(lint, dict):
        raise UsageError(f"{path}: 'lint' must be a table")
    return lint


def find(start: Path | None = None) -> Path | None:
    """The config file that applies in ``start`` (default: the current directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in FILES:
            candidate = folder / name
            if candidate.is_file() and _table(candidate) is not None:
                return candidate
    return None


def _expect(path: Path, key: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise UsageError(f"{path}: {key} must be {what}, got {value!r}")
    return value


def _ids(path: Path, key: str, value: Any) -> set[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{path}: {key} must be a list of rule ids")
    return {v.strip() for v in value if v.strip()}


KEYS = ("dialect", "pg-version", "assume-in-transaction", "rules", "exclude", "exclude-paths")


def load(path: Path) -> LintConfig:
    table = _table(path) or {}
    config = LintConfig(root=path.parent, source=path)
    for key, value in table.items():
        if key not in KEYS:
            raise UsageError(f"{path}: unknown lint setting {key!r}", hint=did_you_mean(key, KEYS))
        if key == "dialect":
            config.dialect = _expect(path, key, value, str, "a dialect name")
        elif key == "pg-version":
            config.pg_version = _expect(path, key, value, int, "a PostgreSQL major version number")
        elif key == "assume-in-transaction":
            config.assume_in_transaction = _expect(path, key, value, bool, "true or false")
        elif key == "rules":
            config.rules = _ids(path, key, value)
        elif key == "exclude":
            config.exclude = _ids(path, key, value)
        elif key == "exclude-paths":
            paths = [value] if isinstance(value, str) else value
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise UsageError(f"{path}: exclude-paths must be a list of glob patterns")
            config.exclude_paths = paths
    return config
