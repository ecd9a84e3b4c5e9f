"""Schema models of big DDL files, kept by content hash: a file is parsed once, not per run.

Parsing a 1,000-table pg_dump takes seconds (the parser builds ~600,000 nodes in Python and
prints ~7,000 fragments back); reading its model back from JSON takes a tenth of that. So the
model of a file of at least ``MIN_CHARS`` characters is written, after a successful load, to
``$XDG_CACHE_HOME/migsmith/schemas/<key>.json`` (else ``~/.cache/...``), and kept in memory for
the rest of the process (``plan`` verifies right after planning, and verifies the plan and its
alternative at once). The key hashes the dialect, the text and the code that builds the model
(the loaders' own source and the versions of pglast, sqlglot and pydantic), so a changed file
or a changed loader is a miss, never a stale model. ``MIGSMITH_SCHEMA_CACHE=0`` turns it off.
A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from migsmith.tools.schema.model import Schema

MIN_CHARS = 64 * 1024  # below this, parsing costs about what reading a cached model costs
KEEP_FILES = 32  # on disk; the oldest go first
_memory: dict[str, str] = {}  # key -> model JSON (each load validates its own fresh copy)
_lock = threading.Lock()


def enabled() -> bool:
    return os.environ.get("MIGSMITH_SCHEMA_CACHE", "1") not in ("0", "")


def directory() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "migsmith" / "schemas"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """What the model of a given text depends on besides the text."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted([*here.glob("*.py"), here.parent / "spec" / "expressions.py",
                        here.parent / "spec" / "pg_print.py"]):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    for dist in ("pglast", "sqlglot", "pydantic"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()


def key_of(text: str, dialect: str) -> str:
    h = hashlib.sha256(_code_digest().encode())
    h.update(dialect.encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def load(text: str, dialect: str, source: str | None, parse: Callable[[], Schema]) -> Schema:
    """``parse()``'s Schema for ``text``, from the cache when it holds this text's model."""
    if len(text) < MIN_CHARS or not enabled():
        return parse()
    key = key_of(text, dialect)
    with _lock:
        data = _memory.get(key)
    path = directory() / f"{key}.json"
    if data is None:
        try:
            data = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            data = None
    if data is not None:
        try:
            schema = Schema.model_validate_json(data)
        except ValueError:  # a damaged file: parse again and rewrite it
            schema = None
        if schema is not None:
            with _lock:
                _memory[key] = data
            schema.source = source
            return schema
    schema = parse()
    data = schema.model_dump_json()
    with _lock:
        _memory[key] = data
    _write(path, data)
    return schema


def _write(path: Path, data: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, path)
        old = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-KEEP_FILES]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass
