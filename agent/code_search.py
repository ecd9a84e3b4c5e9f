"""Find where a table or column is used in the user's application code: ORM models, raw SQL,
types, templates.

A plain, fast walk that reports what a person has to change, not every mention: it honours
``.gitignore`` (every level, and ``.git/info/exclude``), skips VCS, dependency and build folders,
migration folders (old migrations describe the past; a migration tool owns them) and plan
directories migsmith wrote (a folder with plan.json and PLAN.md), prose (Markdown, reST, text),
lockfiles, large files and binaries, and whatever the caller excludes (the schema file the plan
was made from). The identifier matches as a whole word.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", "__pycache__",
             ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "dist", "build",
             "target", "vendor", ".next", ".cache", "site-packages", "coverage", ".idea"}
# Folders that hold migrations by the convention of a tool (Rails db/migrate, Django, Alembic's
# versions/, Flyway db/migration, Prisma, Diesel, golang-migrate, Knex, Sequelize, Ecto ...).
MIGRATION_DIRS = {"migrations", "migration", "migrate", "schema_migrations", "alembic"}
MIGRATION_PARENTS = {("alembic", "versions"), ("priv", "repo")}
PROSE = {".md", ".markdown", ".rst", ".txt", ".adoc", ".org"}
LOCKFILES = {"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "uv.lock",
             "Cargo.lock", "Gemfile.lock", "composer.lock", "go.sum"}
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
                    limit: int = MAX_HITS, exclude: tuple[str | Path, ...] = ()
                    ) -> list[CodeReference]:
    """Lines of application code under ``root`` that use ``identifier`` as a word.

    With ``also`` (e.g. the table name and its model name), only files that mention one of
    those words count: a column called ``created`` is everywhere, ``created`` in a file about
    posts is what a rename of posts.created has to touch. ``exclude``: files or folders to
    leave out (the schema file, the plan directory being written).
    """
    root = Path(root)
    word = re.compile(rf"(?<![\w$]){re.escape(identifier)}(?![\w$])", re.IGNORECASE)
    context = (re.compile("|".join(rf"(?<![\w$]){re.escape(a)}(?![\w$])" for a in also),
                          re.IGNORECASE) if also else None)
    hits: list[CodeReference] = []
    skip = {Path(p).resolve() for p in exclude}
    for path in application_files(root, skip):
        try:
            text = path.read_text(encoding="utf-8", errors="strict")
        except (OSError, UnicodeDecodeError):
            continue
        if identifier.lower() not in text.lower():
            continue
        if context is not None and not context.search(text):
            continue
        rel = path.relative_to(root).as_posix() if path != root else path.name
        for number, line in enumerate(text.splitlines(), 1):
            if word.search(line):
                hits.append(CodeReference(rel, number, line.strip()[:200], identifier))
                if len(hits) >= limit:
                    return hits
    return hits


def schema_files(schema) -> tuple[str, ...]:
    """The schema file a plan starts from: it names every column, and is not code to change."""
    source = getattr(schema, "source", None) or ""
    return (source,) if source and "://" not in source and Path(source).is_file() else ()


def application_files(root: Path, skip: set[Path] = frozenset()):
    """Text files under ``root`` that are application code (see the module docstring)."""
    if root.is_file():
        yield root
        return
    ignored = _GitIgnore(root)
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        ignored.enter(here)
        if here != root and _is_plan_dir(filenames):
            dirnames[:] = []
            continue
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in SKIP_DIRS and not d.endswith(".egg-info") and not _is_migration_dir(here, d)
            and (here / d).resolve() not in skip and not ignored.match(here / d, directory=True))
        for name in sorted(filenames):
            path = here / name
            if (Path(name).suffix.lower() in PROSE or name in LOCKFILES
                    or path.resolve() in skip or ignored.match(path)):
                continue
            try:
                if path.is_symlink() or path.stat().st_size > MAX_FILE_BYTES:
                    continue
                with path.open("rb") as fh:
                    if b"\0" in fh.read(8192):  # binary
                        continue
            except OSError:
                continue
            yield path


def _is_plan_dir(filenames: list[str]) -> bool:
    return "plan.json" in filenames and "PLAN.md" in filenames


def _is_migration_dir(parent: Path, name: str) -> bool:
    low = name.lower()
    return low in MIGRATION_DIRS or (parent.name.lower(), low) in MIGRATION_PARENTS


class _GitIgnore:
    """The .gitignore rules in force for a path: every .gitignore from the repository's top
    down to the path's folder, and .git/info/exclude (patterns relative to their folder)."""

    def __init__(self, root: Path):
        self.specs: list[tuple[Path, object]] = []
        self.seen: set[Path] = set()
        root = root.resolve()
        top = next((d for d in (root, *root.parents) if (d / ".git").exists()), None)
        if top is not None:
            self._load(top, top / ".git" / "info" / "exclude")
            for d in reversed([root, *root.parents][: len(root.relative_to(top).parts) + 1]):
                self.enter(d)

    def enter(self, folder: Path) -> None:
        folder = folder.resolve()
        if folder not in self.seen:
            self.seen.add(folder)
            self._load(folder, folder / ".gitignore")

    def _load(self, base: Path, file: Path) -> None:
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        import pathspec

        self.specs.append((base.resolve(), pathspec.GitIgnoreSpec.from_lines(lines)))

    def match(self, path: Path, *, directory: bool = False) -> bool:
        path = path.resolve()
        for base, spec in self.specs:
            if base == path or base not in path.parents:
                continue
            rel = path.relative_to(base).as_posix() + ("/" if directory else "")
            if spec.match_file(rel):
                return True
        return False
