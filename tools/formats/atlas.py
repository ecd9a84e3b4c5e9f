"""Atlas: ``YYYYMMDDHHMMSS_name.sql`` files and the directory's integrity file ``atlas.sum``.

Atlas runs each file in a transaction of its own (``--tx-mode file``) unless the file starts
with the directive ``-- atlas:txmode none``; it sends statements one at a time. Atlas files
go forward only (Atlas computes downs itself with ``atlas migrate down``); the downs stay in
the plan directory. ``atlas.sum`` is computed exactly as Atlas computes it
(``sql/migrate/dir.go``: ``NewHashFile`` and ``HashFile.MarshalText``): a running SHA-256 over
each ``.sql`` file's name and bytes in name order, base64 after each file, and a first line
that hashes those lines. Atlas is not installed here: its output is checked by golden files,
and the sum against a real project's ``atlas.sum``.
"""

from __future__ import annotations

import base64
import hashlib
import re

from migsmith.tools.formats import base
from migsmith.tools.planning.plan import Plan

TOOL = "atlas"
SUM = "atlas.sum"


def render(plan: Plan, target: base.Target) -> base.Rendered:
    env = base.environment(TOOL)
    steps = base.scripts(plan)
    versions = base.next_versions(base.versions_in(target.names(), r"^(\d+)(?:_.*)?\.sql$"),
                                  len(steps), target.now)
    files, migrations = {}, []
    for version, (step, up, down) in zip(versions, steps):
        name = base.migration_name(plan, step)
        chunk = base.whole_chunk(up)
        m = base.ToolMigration(step=step.number, version=version, name=name,
                               files=[f"{version}_{name}.sql"], runs=base.runs_text(chunk, True),
                               backfill="inline" if up.batched_backfill else None)
        files[m.files[0]] = env.get_template("migration.sql.j2").render(
            tool=TOOL, m=m, step=step, header=base.header_lines(up, TOOL), runs=m.runs,
            up=chunk, transactional=chunk is None or chunk.transactional,
            plan_dir=target.plan_dir,
            text=base.chunk_text(chunk, up, client_delimiters=True)).strip() + "\n"
        migrations.append(m)
    base.taken(files, target, {SUM})
    if SUM not in target.files:
        files[SUM] = hash_file(files)
    replaces = keep_sum(target, files, golang_migrate=False)
    return base.Rendered(tool=TOOL, files=files, migrations=migrations, replaces=replaces, run={
        "up": "atlas migrate apply --dir file://DIR --url URL",
        "down": "atlas migrate down --dir file://DIR --url URL --dev-url DEV_URL "
                "(or the plan directory's .down.sql files, newest first)",
        "to": "atlas migrate apply --dir file://DIR --url URL N (the next N files)",
    }, golden_only="Atlas is a Go binary that no registry here ships")


# A file whose first line holds `atlas:sum ignore` is left out of the sum (Atlas's directive).
_DIRECTIVE = re.compile(r"^([ -~]*)atlas:(\w+)(?: +([ -~]*))*")


def _ignored(content: bytes) -> bool:
    m = _DIRECTIVE.match(content.decode("utf-8", "replace"))
    return bool(m and m.group(2) == "sum" and m.group(3) == "ignore")


def counted(name: str, golang_migrate: bool = False) -> bool:
    """The files Atlas sums: every .sql file, or only the up files of a folder kept in
    golang-migrate format (``format = golang-migrate`` in atlas.hcl)."""
    return name.endswith(".up.sql") if golang_migrate else name.endswith(".sql")


def hash_entries(files: dict[str, str | bytes], golang_migrate: bool = False
                 ) -> list[tuple[str, str]]:
    """(file name, h1 hash) for every counted file, as Atlas's NewHashFile makes them."""
    h = hashlib.sha256()
    out = []
    for name in sorted((n for n in files if counted(n, golang_migrate)), key=lambda n: n.encode()):
        data = files[name]
        data = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
        h.update(name.encode())
        if _ignored(data):
            continue
        h.update(data)
        out.append((name, base64.b64encode(h.copy().digest()).decode()))
    return out


def _total(entries: list[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for name, digest in entries:
        h.update(name.encode())
        h.update(digest.encode())
    return base64.b64encode(h.digest()).decode()


def hash_file(files: dict[str, str | bytes], golang_migrate: bool = False) -> str:
    """The text of atlas.sum for ``files`` (HashFile.MarshalText)."""
    entries = hash_entries(files, golang_migrate)
    return f"h1:{_total(entries)}\n" + "".join(f"{n} h1:{d}\n" for n, d in entries)


def sum_is_valid(files: dict[str, str | bytes], golang_migrate: bool = False) -> bool:
    text = files[SUM]
    text = text.decode() if isinstance(text, bytes) else text
    return text.splitlines()[:1] == hash_file(files, golang_migrate).splitlines()[:1]


def keep_sum(target: base.Target, files: dict[str, str], golang_migrate: bool) -> set[str]:
    """Rewrite the folder's atlas.sum (when it has one) to cover ``files`` too; refuses a sum
    that does not match the folder already. Returns the names to replace."""
    if SUM not in target.files:
        return set()
    if not sum_is_valid(target.files, golang_migrate):
        raise base.FormatError(f"{target.path}/{SUM} does not match the migration files there",
                               hint="run `atlas migrate hash` first, then plan again")
    everything = {n: t for n, t in target.files.items() if n != SUM} | files
    files[SUM] = hash_file(everything, golang_migrate)
    return {SUM}
