"""How a migration runner will execute a file: in a transaction or not, and which part is the down.

A linter that ignores the runner gets transactions wrong both ways: Diesel, dbmate, goose, sqlx,
Flyway and most others wrap each migration in a transaction unless the file (or a config file
beside it) opts out, and a file that opts out must not be reported for ``CONCURRENTLY``. What is
read, per runner (each is the runner's own documented switch):

============================  =============================  ===========================================
runner                        recognised by                  runs outside a transaction when
============================  =============================  ===========================================
Diesel                        ``up.sql``/``down.sql`` in a    ``metadata.toml`` beside it says
                              ``<version>_<name>/`` folder    ``run_in_transaction = false``
dbmate                        ``-- migrate:up``               ``-- migrate:up transaction:false`` (per section)
goose                         ``-- +goose Up``                ``-- +goose NO TRANSACTION``
sqlx                          (the opt-out line only)        the file starts with ``-- no-transaction``
postgres-migrations           ``-- postgres-migrations``      ``-- postgres-migrations disable-transaction``
Flyway                        ``V1__name.sql`` (and R, U)     ``V1__name.sql.conf`` says ``executeInTransaction=false``,
                                                             or every statement refuses a transaction
sqitch                        ``deploy/`` beside sqitch.plan  always: scripts carry their own BEGIN/COMMIT
Atlas                         ``-- atlas:`` directives        ``-- atlas:txmode none``
Liquibase formatted SQL       ``--liquibase formatted sql``  ``--changeset a:b runInTransaction:false`` (per changeset)
graphile-migrate              ``--! `` header lines           ``--! no-transaction``
migsmith plans                ``plan.json`` beside the file   always: a step carries its own BEGIN/COMMIT
============================  =============================  ===========================================

A file is split into *sections* (the up and down halves of a dbmate or goose file, each Liquibase
changeset), each linted as the runner will run it. Down sections (and ``down.sql``,
``*.down.sql``, Flyway ``U`` files) undo what the up part made, so the destructive rules are not
reported there, as on a plan's down steps. Markers are read from comment lines only.

The decision for each section, strongest first: an opt-out the runner honours (the file is run
outside a transaction whatever the options say); the ``assume_in_transaction`` option when it
was given (command line or configuration); the runner's own default; no transaction.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

Direction = Literal["up", "down"]


@dataclass(frozen=True)
class Section:
    start: int  # character offsets of the part of the file the runner runs as one unit
    end: int
    direction: Direction = "up"
    runner: str | None = None
    # True/False: what the runner does with this section; None: the runner is not known.
    in_transaction: bool | None = None
    # True when in_transaction=False comes from an explicit opt-out (which beats the options).
    opted_out: bool = False
    why: str = ""  # "-- +goose NO TRANSACTION (line 1)", "metadata.toml: run_in_transaction = false"
    # Flyway: a migration whose statements all refuse a transaction (CONCURRENTLY, VACUUM ...)
    # is run outside one, whatever else is configured.
    outside_if_all_nontx: bool = False

    def runs_in_transaction(self, assume: bool | None) -> bool:
        if self.opted_out:
            return False
        if assume is not None:
            return assume
        return bool(self.in_transaction)


# How to make each runner run a file outside a transaction (for messages).
OPT_OUT = {
    "diesel": "run_in_transaction = false in the migration's metadata.toml",
    "dbmate": "-- migrate:up transaction:false",
    "goose": "-- +goose NO TRANSACTION",
    "sqlx": "-- no-transaction as the file's first line",
    "postgres-migrations": "-- postgres-migrations disable-transaction",
    "flyway": "executeInTransaction=false in a <file>.sql.conf beside it",
    "atlas": "-- atlas:txmode none",
    "liquibase": "runInTransaction:false on the --changeset line",
    "graphile-migrate": "--! no-transaction",
}


# Marker lines (comments only; `re.M` anchors each at the start of a line).
_DBMATE = re.compile(r"^[ \t]*--[ \t]*migrate:(up|down)\b([^\n]*)$", re.M | re.I)
_GOOSE = re.compile(r"^[ \t]*--[ \t]*\+goose[ \t]+(up|down)\b[^\n]*$", re.M | re.I)
_GOOSE_NO_TX = re.compile(r"^[ \t]*--[ \t]*\+goose[ \t]+no[ \t]+transaction\b", re.M | re.I)
_SQLX_NO_TX = re.compile(r"\A\ufeff?[ \t]*--[ \t]*no-transaction\b", re.I)
_PG_MIGRATIONS = re.compile(r"^[ \t]*--[ \t]*postgres-migrations[ \t]+(\S+)", re.M | re.I)
_ATLAS = re.compile(r"^[ \t]*--[ \t]*atlas:(\w+)[ \t]*(\S*)", re.M | re.I)
_LIQUIBASE = re.compile(r"\A\ufeff?\s*--[ \t]*liquibase[ \t]+formatted[ \t]+sql\b", re.I)
_CHANGESET = re.compile(r"^[ \t]*--[ \t]*changeset[ \t]+\S+([^\n]*)$", re.M | re.I)
_GRAPHILE = re.compile(r"^--![ \t]*(\S+)", re.M)
_FLYWAY_NAME = re.compile(r"^(?:[VU]\d[\w.]*|R)__.+\.sql$", re.I)
_DIESEL_DIR = re.compile(r"^(?:\d{4}-\d{2}-\d{2}-\d{6}|\d{14}|\d{8}_\d{6})_.+")
_PROPERTY = re.compile(r"^[ \t]*(?:flyway\.)?executeInTransaction[ \t]*[=:][ \t]*(\w+)", re.M | re.I)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _falsy(value: str) -> bool:
    return value.strip().strip("\"'").lower() in ("false", "no", "off", "0")


def _split(text: str, marks: list[tuple[int, Direction, bool | None, bool, str]], runner: str) -> list[Section]:
    """Sections starting at each marker (offset, direction, in_tx, opted_out, why); what comes
    before the first marker belongs to the first section (it is usually a comment header)."""
    sections = []
    for n, (offset, direction, in_tx, opted_out, why) in enumerate(marks):
        start = 0 if n == 0 else offset
        end = marks[n + 1][0] if n + 1 < len(marks) else len(text)
        sections.append(Section(start, end, direction, runner, in_tx, opted_out, why))
    return sections


def _dbmate(text: str) -> list[Section] | None:
    if "migrate:" not in text:  # substring tests first: most files name no runner at all
        return None
    marks = []
    for m in _DBMATE.finditer(text):
        direction = m.group(1).lower()
        options = dict(re.findall(r"(\w+)[ \t]*:[ \t]*(\S+)", m.group(2)))
        off = _falsy(options["transaction"]) if "transaction" in options else False
        why = f"-- migrate:{direction} transaction:false (line {_line_of(text, m.start())})" if off else ""
        marks.append((m.start(), direction, not off, off, why))
    return _split(text, marks, "dbmate") if marks else None


def _goose(text: str) -> list[Section] | None:
    if "+goose" not in text:
        return None
    marks = list(_GOOSE.finditer(text))
    if not marks:
        return None
    no_tx = _GOOSE_NO_TX.search(text)
    why = f"-- +goose NO TRANSACTION (line {_line_of(text, no_tx.start())})" if no_tx else ""
    return _split(text, [(m.start(), m.group(1).lower(), no_tx is None, no_tx is not None, why)
                         for m in marks], "goose")


def _liquibase(text: str) -> list[Section] | None:
    if not _LIQUIBASE.match(text):
        return None
    marks = []
    for m in _CHANGESET.finditer(text):
        options = dict(re.findall(r"(\w+)[ \t]*:[ \t]*(\S+)", m.group(1)))
        off = _falsy(options.get("runInTransaction", "true"))
        why = f"--changeset ... runInTransaction:false (line {_line_of(text, m.start())})" if off else ""
        marks.append((m.start(), "up", not off, off, why))
    return _split(text, marks, "liquibase") if marks else [Section(0, len(text), runner="liquibase",
                                                                    in_transaction=True)]


def _whole_file(text: str) -> Section | None:
    """Runners whose switch is a comment somewhere in the file."""
    if "-- no-transaction" in text[:64] and _SQLX_NO_TX.match(text):
        return Section(0, len(text), runner="sqlx", in_transaction=False, opted_out=True,
                       why="-- no-transaction (line 1)")
    if "postgres-migrations" not in text and "atlas:" not in text and "--!" not in text:
        return None
    for m in _PG_MIGRATIONS.finditer(text):
        if m.group(1).lower() == "disable-transaction":
            return Section(0, len(text), runner="postgres-migrations", in_transaction=False, opted_out=True,
                           why=f"-- postgres-migrations disable-transaction (line {_line_of(text, m.start())})")
    if _PG_MIGRATIONS.search(text):
        return Section(0, len(text), runner="postgres-migrations", in_transaction=True)
    atlas = list(_ATLAS.finditer(text))
    for m in atlas:
        if m.group(1).lower() == "txmode" and m.group(2).lower() == "none":
            return Section(0, len(text), runner="atlas", in_transaction=False, opted_out=True,
                           why=f"-- atlas:txmode none (line {_line_of(text, m.start())})")
    if atlas:
        return Section(0, len(text), runner="atlas", in_transaction=True)
    graphile = [m for m in _GRAPHILE.finditer(text)]
    for m in graphile:
        if m.group(1).lower() == "no-transaction":
            return Section(0, len(text), runner="graphile-migrate", in_transaction=False, opted_out=True,
                           why=f"--! no-transaction (line {_line_of(text, m.start())})")
    if graphile:
        return Section(0, len(text), runner="graphile-migrate", in_transaction=True)
    return None


@lru_cache(maxsize=256)
def _listing(folder: Path) -> frozenset[str]:
    """The names in a folder (one listing per folder, not a stat per file and config name)."""
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


def _beside(path: Path | None, text: str) -> Section | None:
    """Runners known by the file's name and the config files next to it."""
    if path is None:
        return None
    name, folder = path.name, path.parent
    here = _listing(folder)
    down: Direction = "down" if name == "down.sql" or name.endswith(".down.sql") else "up"
    if name in ("up.sql", "down.sql") and ("metadata.toml" in here or _DIESEL_DIR.match(folder.name)):
        meta = folder / "metadata.toml"
        if "metadata.toml" in here:
            import tomllib

            try:
                config = tomllib.loads(meta.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                config = {}
            if config.get("run_in_transaction") is False:
                return Section(0, len(text), down, "diesel", False, True,
                               f"{meta.name}: run_in_transaction = false")
        return Section(0, len(text), down, "diesel", True)
    if _FLYWAY_NAME.match(name):
        direction: Direction = "down" if name[0] in "Uu" else "up"
        conf = path.with_name(name + ".conf")
        if conf.name in here:
            try:
                m = _PROPERTY.search(conf.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                m = None
            if m and _falsy(m.group(1)):
                return Section(0, len(text), direction, "flyway", False, True,
                               f"{conf.name}: executeInTransaction={m.group(1)}")
        return Section(0, len(text), direction, "flyway", True, outside_if_all_nontx=True)
    if folder.name in ("deploy", "revert", "verify") and "sqitch.plan" in _listing(folder.parent):
        return Section(0, len(text), "down" if folder.name == "revert" else "up", "sqitch", False, True,
                       "sqitch runs scripts as written (their own BEGIN/COMMIT)")
    if "plan.json" in here and name.endswith((".up.sql", ".down.sql")):
        # migsmith apply runs a step file as written: a transactional step carries its own
        # BEGIN/COMMIT, the others must not be wrapped (CONCURRENTLY).
        return Section(0, len(text), down, "migsmith", False, True,
                       "migsmith plans carry their own BEGIN/COMMIT")
    if down == "down":
        return Section(0, len(text), "down")
    return None


def sections(text: str, path: Path | None = None) -> list[Section]:
    """How the runner will run ``text`` (read from ``path``, when it is a file): its sections in
    file order, covering the whole text."""
    for reader in (_dbmate, _goose, _liquibase):
        found = reader(text)
        if found:
            return found
    section = _whole_file(text) or _beside(path, text)
    return [section or Section(0, len(text))]


def masked(text: str, section: Section) -> str:
    """``text`` with everything outside ``section`` blanked (newlines kept), so that a section is
    parsed on its own while line and column numbers stay those of the file."""
    if section.start == 0 and section.end == len(text):
        return text
    return _blank(text[:section.start]) + text[section.start:section.end] + _blank(text[section.end:])


def _blank(text: str) -> str:
    return "\n".join(" " * len(line) for line in text.split("\n"))
