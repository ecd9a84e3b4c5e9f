"""``--detect``: which migration tool a repository uses, its migrations folder and the next
number, from the repository's paths (config files, folder and file names) and, where a file
can be read, its text (``-- migrate:up``, ``+goose``, ``script_location``, ``sqitch.plan``).

Pure: ``detect(paths, read)`` takes the repository's file paths (relative, ``/``-separated)
and a function returning a file's text or None. The caller walks the tree.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

Reader = Callable[[str], "str | None"]

# The tool's name -> the --format that writes for it (None: no adapter yet; the plain plan,
# or the nearest format, is what a user can take).
FORMAT_FOR = {"alembic": "alembic", "django": "django", "rails": "rails", "flyway": "flyway",
              "golang-migrate": "golang-migrate", "atlas": "atlas", "dbmate": "dbmate",
              "sqitch": "sqitch", "prisma": None, "diesel": None, "goose": None, "sqlx": None,
              "postgres-migrations": None, "graphile-migrate": None}


@dataclass
class Detection:
    tool: str
    folder: str  # the migrations folder, relative to the repository root
    newest: str | None  # the newest migration there (file or folder name), when it can be told
    next: str  # the next number or name, as the tool would write it
    evidence: list[str] = field(default_factory=list)
    format: str | None = None
    notes: list[str] = field(default_factory=list)
    score: int = 0

    def summary(self) -> str:
        fmt = (f"--format {self.format}" if self.format else
               "no --format for it yet (write --format sql and adapt)")
        newest = self.newest or "none found"
        return (f"{self.tool} (from {', '.join(self.evidence[:3])}): folder {self.folder}, "
                f"newest {newest}, next {self.next}; {fmt}")


_SEQ_SQL = re.compile(r"^(\d+)_(.+)\.sql$")
_UPDOWN = re.compile(r"^(\d+)_(.+)\.(up|down)\.sql$")
_FLYWAY = re.compile(r"^V(\d+(?:[._]\d+)*)__.+\.sql$", re.IGNORECASE)
_DJANGO = re.compile(r"^(\d{4})_.+\.py$")
_RAILS = re.compile(r"^(\d{14})_.+\.rb$")
_DIESEL = re.compile(r"^(\d{4}-\d{2}-\d{2}-\d{6}(?:-\d{4})?|\d{14})_.+$")
_PGMIG = re.compile(r"^(\d+)-.+\.sql$")


def detect(paths: list[str], read: Reader = lambda _p: None) -> list[Detection]:
    """Every tool the repository shows signs of, best first."""
    paths = sorted(p.strip("/") for p in paths)
    by_dir: dict[str, list[str]] = {}
    for p in paths:
        by_dir.setdefault(posixpath.dirname(p), []).append(posixpath.basename(p))
    names = Counter(posixpath.basename(p) for p in paths)
    found = [d for d in (
        _alembic(paths, by_dir, read), _django(paths, by_dir, names),
        _rails(by_dir, names), _flyway(paths, by_dir, read), _atlas(paths, by_dir, read),
        _sqitch(paths, by_dir, read), _prisma(paths, by_dir), _diesel(paths, by_dir, names),
        _graphile(paths, by_dir), _postgres_migrations(by_dir, names, paths, read),
        *_sql_folders(paths, by_dir, names, read),
    ) if d is not None]
    for d in found:
        d.format = FORMAT_FOR.get(d.tool)
    return sorted(found, key=lambda d: -d.score)


def _newest(items: list[str], key=None) -> str | None:
    return max(items, key=key) if items else None


def _seq_next(version: str | None, *, width: int | None = None, default: str = "000001") -> str:
    if version is None:
        return default
    if len(version) == 14 and version.startswith(("19", "20")):
        return f"YYYYMMDDHHMMSS (UTC now; after {version})"
    return str(int(version) + 1).zfill(width or len(version))


def _biggest(dirs: dict[str, list[str]], rx: re.Pattern) -> tuple[str, list[str]] | None:
    """The folder with the most names matching ``rx``."""
    best = max(((d, [n for n in ns if rx.match(n)]) for d, ns in dirs.items()),
               key=lambda item: len(item[1]), default=None)
    return best if best and best[1] else None


# ----------------------------------------------------------------------------- per tool
def _alembic(paths, by_dir, read) -> Detection | None:
    envs = [p for p in paths if p.endswith("/env.py") or p == "env.py"]
    inis = [p for p in paths if posixpath.basename(p) == "alembic.ini"]
    homes = [posixpath.dirname(p) for p in envs
             if posixpath.join(posixpath.dirname(p), "script.py.mako") in paths
             or posixpath.join(posixpath.dirname(p), "versions") in by_dir]
    if not homes:
        return None
    for ini in inis:  # script_location in alembic.ini, relative to the ini's folder
        text = read(ini) or ""
        m = re.search(r"^\s*script_location\s*=\s*(\S+)", text, re.M)
        if m:
            loc = posixpath.normpath(posixpath.join(posixpath.dirname(ini), m.group(1)
                                                    .replace("%(here)s", ".")))
            if loc in homes:
                homes = [loc]
    folder = posixpath.join(homes[0], "versions")
    files = [n for n in by_dir.get(folder, []) if n.endswith(".py")]
    heads = _alembic_heads(folder, files, read)
    newest = heads[0] if len(heads) == 1 else None
    evidence = inis[:1] + [posixpath.join(homes[0], "env.py")]
    if newest:
        nxt = f"a new revision with down_revision = '{newest.split('_')[0]}'"
    else:
        nxt = ("a new revision after the head (the version files hold no readable "
               "`revision =` lines here: run `alembic heads`)" if files else "the first revision")
    return Detection("alembic", folder, newest, nxt, evidence, score=90)


def _alembic_heads(folder, files, read) -> list[str]:
    revs: dict[str, tuple[str, list[str]]] = {}
    for name in files:
        text = read(posixpath.join(folder, name)) or ""
        rev = re.search(r"""^revision\s*(?::[^=]+)?=\s*['"]([^'"]+)['"]""", text, re.M)
        down = re.search(r"^down_revision\s*(?::[^=]+)?=\s*(.+)$", text, re.M)
        if rev:
            revs[rev.group(1)] = (name, re.findall(r"""['"]([^'"]+)['"]""",
                                                   down.group(1)) if down else [])
    parents = {p for _, ps in revs.values() for p in ps}
    return sorted(name for r, (name, _) in revs.items() if r not in parents)


def _django(paths, by_dir, names) -> Detection | None:
    apps = {d: [n for n in ns if _DJANGO.match(n)] for d, ns in by_dir.items()
            if posixpath.basename(d) == "migrations"
            and ("__init__.py" in ns or any(_DJANGO.match(n) for n in ns))}
    apps = {d: ns for d, ns in apps.items() if ns}
    if not apps or not (names["manage.py"] or any(p.endswith("settings.py") or "/settings/" in p
                                                   for p in paths)):
        return None
    folder = max(apps, key=lambda d: (len(apps[d]), d))
    newest = _newest(apps[folder])
    others = [f"{d}: next {int(max(ns)[:4]) + 1:04d}" for d, ns in sorted(apps.items())
              if d != folder]
    det = Detection("django", folder, newest, f"{int(newest[:4]) + 1:04d}",
                    [p for p in paths if posixpath.basename(p) == "manage.py"][:1] + [folder],
                    score=85)
    if others:
        det.notes.append(f"{len(apps)} apps with migrations (each numbers on its own): "
                         + "; ".join(others))
    return det


def _rails(by_dir, names) -> Detection | None:
    migs = [n for n in by_dir.get("db/migrate", []) if _RAILS.match(n)]
    if not migs:
        return None
    evidence = [n for n in ("Gemfile", "bin/rails", "config/database.yml", "db/schema.rb")
                if names[posixpath.basename(n)]] or ["db/migrate"]
    newest = _newest(migs)
    return Detection("rails", "db/migrate", newest, _seq_next(newest[:14]), evidence, score=85)


def _flyway(paths, by_dir, read) -> Detection | None:
    best = _biggest(by_dir, _FLYWAY)
    confs = [p for p in paths if posixpath.basename(p) in ("flyway.conf", "flyway.toml")]
    if best is None:
        return None
    folder, files = best
    for conf in confs:
        m = re.search(r"locations\s*[=:]\s*\[?\s*['\"]?filesystem:([^,'\"\s\]]+)", read(conf) or "")
        if m and posixpath.normpath(m.group(1)) in by_dir:
            folder = posixpath.normpath(m.group(1))
            files = [n for n in by_dir[folder] if _FLYWAY.match(n)]
    versions = {n: tuple(int(x) for x in re.split(r"[._]", _FLYWAY.match(n).group(1)))
                for n in files}
    newest = max(versions, key=versions.get)
    top = versions[newest]
    nxt = f"V{top[0] + 1}__" if len(top) == 1 else "V" + ".".join(map(str, top[:-1] + (top[-1] + 1,))) + "__"
    gradle = [p for p in paths if re.search(r"(build\.gradle|pom\.xml|Flyway\w*\.java)$", p)]
    return Detection("flyway", folder, newest, nxt, (confs or gradle)[:2] + [folder],
                     score=80 + (10 if confs else 0))


def _atlas(paths, by_dir, read) -> Detection | None:
    sums = [p for p in paths if posixpath.basename(p) == "atlas.sum"]
    hcl = [p for p in paths if posixpath.basename(p) == "atlas.hcl"]
    if not sums and not hcl:
        return None
    folder = posixpath.dirname(sums[0]) if sums else "migrations"
    files = [n for n in by_dir.get(folder, []) if n.endswith(".sql")]
    versions = [m.group(1) for n in files if (m := re.match(r"^(\d+)", n))]
    newest = _newest([n for n in files if re.match(r"^\d+", n) and not n.endswith(".down.sql")],
                     key=lambda n: int(re.match(r"\d+", n).group()))
    det = Detection("atlas", folder, newest, _seq_next(max(versions, key=int) if versions else None,
                                                       default="YYYYMMDDHHMMSS (UTC now)"),
                    hcl[:1] + sums[:1], score=95)
    text = " ".join(read(p) or "" for p in hcl)
    if "golang-migrate" in text or any(_UPDOWN.match(n) for n in files):
        det.notes.append("atlas.hcl keeps the folder in golang-migrate format: write "
                         "--format golang-migrate, then run `atlas migrate hash`")
        det.format = "golang-migrate"
    return det


def _sqitch(paths, by_dir, read) -> Detection | None:
    plans = [p for p in paths if posixpath.basename(p) == "sqitch.plan"]
    if not plans:
        return None
    folder = posixpath.dirname(plans[0])
    text = read(plans[0]) or ""
    from migsmith.tools.formats.sqitch import changes

    known = changes(text)
    newest = f"deploy/{known[-1]}.sql" if known else None
    return Detection("sqitch", folder, newest,
                     "a named change appended to sqitch.plan"
                     + (f", requiring {known[-1]}" if known else ""),
                     plans[:1] + [p for p in paths if p.endswith("sqitch.conf")][:1], score=95)


def _prisma(paths, by_dir) -> Detection | None:
    locks = [p for p in paths if p.endswith("migrations/migration_lock.toml")]
    schemas = [p for p in paths if p.endswith("schema.prisma")]
    if not locks and not schemas:
        return None
    folder = posixpath.dirname(locks[0]) if locks else posixpath.join(
        posixpath.dirname(schemas[0]), "migrations")
    subdirs = sorted({posixpath.basename(posixpath.dirname(p)) for p in paths
                      if p.startswith(folder + "/") and p.endswith("/migration.sql")})
    newest = _newest(subdirs)
    return Detection("prisma", folder, newest,
                     _seq_next(newest.split("_")[0] if newest else None,
                               default="YYYYMMDDHHMMSS (UTC now)") + "_<name>/migration.sql",
                     schemas[:1] + locks[:1], score=90)


def _diesel(paths, by_dir, names) -> Detection | None:
    if not names["diesel.toml"]:
        return None
    ups = [p for p in paths if p.endswith("/up.sql")]
    folders = Counter(posixpath.dirname(posixpath.dirname(p)) for p in ups)
    folder = folders.most_common(1)[0][0] if folders else "migrations"
    subdirs = sorted({posixpath.basename(posixpath.dirname(p)) for p in ups
                      if posixpath.dirname(posixpath.dirname(p)) == folder
                      and _DIESEL.match(posixpath.basename(posixpath.dirname(p)))})
    newest = _newest(subdirs)
    return Detection("diesel", folder, newest,
                     "YYYY-MM-DD-HHMMSS-0000_<name>/ (UTC now" + (f"; after {newest.split('_')[0]})"
                                                                if newest else ")"),
                     ["diesel.toml"], score=90)


def _graphile(paths, by_dir) -> Detection | None:
    rcs = [p for p in paths if posixpath.basename(p) == ".gmrc"]
    if not rcs:
        return None
    home = posixpath.dirname(rcs[0])
    folder = posixpath.join(home, "migrations") if home else "migrations"
    committed = sorted(n for n in by_dir.get(posixpath.join(folder, "committed"), [])
                       if re.match(r"^\d+\.sql$", n))
    newest = _newest(committed)
    nxt = (f"{int(newest[:-4]) + 1:0{len(newest) - 4}d}.sql" if newest else "000001.sql")
    return Detection("graphile-migrate", folder, newest,
                     f"{nxt} (written by `graphile-migrate commit` from current/)", rcs,
                     score=95)


def _postgres_migrations(by_dir, names, paths, read) -> Detection | None:
    best = _biggest(by_dir, _PGMIG)
    if best is None or not names["package.json"]:
        return None
    pkg = " ".join(read(p) or "" for p in paths if posixpath.basename(p) == "package.json")
    if pkg and "postgres-migrations" not in pkg:
        return None
    folder, files = best
    newest = _newest(files, key=lambda n: int(_PGMIG.match(n).group(1)))
    version = _PGMIG.match(newest).group(1)
    return Detection("postgres-migrations", folder, newest,
                     f"{int(version) + 1:0{len(version)}d}-", ["package.json"], score=60)


def _sql_folders(paths, by_dir, names, read) -> list[Detection]:
    """Folders of numbered .sql files: golang-migrate and sqlx (.up/.down pairs), dbmate,
    goose and sqlx (one file each), told apart by their content and their neighbours."""
    out = []
    taken = {posixpath.dirname(p) for p in paths if posixpath.basename(p) in ("atlas.sum",)}
    for folder, files in by_dir.items():
        if folder in taken or posixpath.basename(folder) in ("deploy", "revert", "verify"):
            continue
        pairs = [n for n in files if _UPDOWN.match(n)]
        singles = [n for n in files if _SEQ_SQL.match(n) and not _UPDOWN.match(n)]
        if len(pairs) < 2 and len(singles) < 2:
            continue
        cargo = _ancestor_has(folder, "Cargo.toml", paths)
        gomod = names["go.mod"] > 0
        if pairs:
            newest = _newest([n for n in pairs if n.endswith(".up.sql")] or pairs,
                             key=lambda n: int(_UPDOWN.match(n).group(1)))
            version = _UPDOWN.match(newest).group(1)
            tool = "sqlx" if cargo and not gomod else "golang-migrate"
            suffix = "_<name>.up.sql / .down.sql"
        else:
            newest = _newest(singles, key=lambda n: int(_SEQ_SQL.match(n).group(1)))
            version = _SEQ_SQL.match(newest).group(1)
            text = read(posixpath.join(folder, newest)) or ""
            if "-- migrate:up" in text or any("dbmate" in p.lower() for p in paths):
                tool = "dbmate"
            elif "+goose" in text.lower() or gomod:
                tool = "goose"
            elif cargo:
                tool = "sqlx"
            else:
                tool = "dbmate"
            suffix = "_<name>.sql"
        evidence = {"sqlx": [cargo or ""], "golang-migrate": ["go.mod"], "goose": ["go.mod"],
                    "dbmate": [p for p in paths if "dbmate" in p.lower()][:1]}[tool]
        det = Detection(tool, folder, newest, _seq_next(version) + suffix,
                        [e for e in evidence if e] + [folder], score=40 + len(pairs or singles) // 10)
        out.append(det)
    return out


def _ancestor_has(folder: str, name: str, paths: list[str]) -> str | None:
    d = folder
    while True:
        d = posixpath.dirname(d)
        cand = posixpath.join(d, name) if d else name
        if cand in paths:
            return cand
        if not d:
            return None
