"""Find where a table or column is used in the user's repository: ORM models, raw SQL, types.

A plain, fast walk: skips VCS folders, dependency and build folders, virtualenvs, large files
and binaries; matches the identifier as a whole word.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", "__pycache__",
             ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "dist", "build",
             "target", "vendor", ".next", ".cache", "site-packages", "coverage", ".idea"}
MAX_FILE_BYTES = 1_000_000
MAX_HITS = 200


@dataclass(frozen=True)
class CodeReference:
    file: str  # relative to the searched root
    line: int
    text: str
    identifier: str

    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "text": self.text,
                "identifier": self.identifier}


def find_references(identifier: str, root: str | Path, *, also: tuple[str, ...] = (),
                    limit: int = MAX_HITS) -> list[CodeReference]:
    """Lines under ``root`` that use ``identifier`` as a word.

    With ``also`` (e.g. the table name and its model name), only files that mention one of
    those words count: a column called ``created`` is everywhere, ``created`` in a file about
    posts is what a rename of posts.created has to touch.
    """
    root = Path(root)
    word = re.compile(rf"(?<![\w$]){re.escape(identifier)}(?![\w$])", re.IGNORECASE)
    context = (re.compile("|".join(rf"(?<![\w$]){re.escape(a)}(?![\w$])" for a in also),
                          re.IGNORECASE) if also else None)
    hits: list[CodeReference] = []
    for path in _text_files(root):
        try:
            text = path.read_text(encoding="utf-8", errors="strict")
        except (OSError, UnicodeDecodeError):
            continue
        if identifier.lower() not in text.lower():
            continue
        if context is not None and not context.search(text):
            continue
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(text.splitlines(), 1):
            if word.search(line):
                hits.append(CodeReference(rel, number, line.strip()[:200], identifier))
                if len(hits) >= limit:
                    return hits
    return hits


def _text_files(root: Path):
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info"))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            try:
                if path.is_symlink() or path.stat().st_size > MAX_FILE_BYTES:
                    continue
                with path.open("rb") as fh:
                    if b"\0" in fh.read(8192):  # binary
                        continue
            except OSError:
                continue
            yield path
