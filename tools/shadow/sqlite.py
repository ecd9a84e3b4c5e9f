"""SQLite shadow databases: a file in a temporary directory, removed afterwards."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from migsmith.tools.shadow.base import ShadowDatabase, ShadowServer


class SqliteShadow(ShadowServer):
    dialect = "sqlite"

    def __init__(self) -> None:
        self._dir: str | None = tempfile.mkdtemp(prefix="migsmith-shadow-sqlite-")

    @contextlib.contextmanager
    def database(self, label: str = "plan") -> Iterator[ShadowDatabase]:
        assert self._dir is not None, "shadow server already closed"
        path = Path(self._dir) / f"{label}_{uuid.uuid4().hex[:10]}.db"
        try:
            yield ShadowDatabase("sqlite", f"sqlite:///{path}", path.name)
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
