"""Writing a plan directory: every file at once or none, never over an existing file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from migsmith.tools.errors import PlanError
from migsmith.tools.planning.parse_back import check_plan_files
from migsmith.tools.planning.plan import Plan
from migsmith.tools.signals import deferred


def plan_files(plan: Plan) -> dict[str, str]:
    """File name -> content for a plan (steps in apply order, alternative in its own folder,
    PLAN.md with its timeline picture and the monitoring queries beside it)."""
    from migsmith.tools.planning.docs import MONITORING_FILE, monitoring_sql, render_markdown
    from migsmith.tools.planning.timeline import FILE as TIMELINE, timeline_svg

    files: dict[str, str] = {}
    name_step_files(plan)
    for step in plan.all_steps():
        files[step.up_file] = step.up_sql
        files[step.down_file] = step.down_sql
    check_plan_files(plan, files)  # every step file parsed back: exactly the intended statements
    files["PLAN.md"] = render_markdown(plan)
    files[TIMELINE] = timeline_svg(plan)
    if plan.monitoring:
        files[MONITORING_FILE] = monitoring_sql(plan)
    files["plan.json"] = plan.model_dump_json(indent=2) + "\n"
    return files


def name_step_files(plan: Plan) -> None:
    """Give every step its file names (the alternative's go in their own folder)."""
    for prefix, steps in (("", plan.steps),
                          ("alternative/", plan.alternative.steps if plan.alternative else [])):
        for step in steps:
            slug = step.slug.removeprefix("alt_")
            step.up_file = f"{prefix}{slug}.up.sql"
            step.down_file = f"{prefix}{slug}.down.sql"


def write_plan(plan: Plan, out_dir: str | Path, *, overwrite_plan_json: bool = False) -> list[Path]:
    """Write all files of ``plan`` into ``out_dir`` atomically (see ``write_files``)."""
    out = Path(out_dir)
    files = plan_files(plan)
    replace = {"plan.json", "PLAN.md"} if overwrite_plan_json else set()
    return write_files({out / name: text for name, text in files.items()},
                       replace={out / name for name in replace}, what=f"the plan to {out}")


def write_files(files: dict[Path, str], *, replace: set[Path] = frozenset(),
                what: str = "the files") -> list[Path]:
    """Write every file at once or none.

    Refuses before writing anything if any target file exists (except those in ``replace``,
    which are replaced atomically) or a target folder cannot be written. Each file is written
    to a temporary name in the same directory and renamed into place; on any failure (a full
    disk, a signal) the files written so far are removed again (and replaced ones restored),
    so an error leaves the directories as they were.
    """
    refuse_existing({str(p): p for p in files}, keep=tuple(str(p) for p in replace))
    for folder in sorted({p.parent for p in files}):
        check_writable(folder)
    created_dirs = [d for d in sorted({p.parent for p in files}, key=lambda d: len(d.parts))
                    if not d.exists()]
    written: list[Path] = []
    saved: dict[Path, bytes] = {p: p.read_bytes() for p in replace if p in files and p.exists()}
    try:
        for d in created_dirs:
            d.mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            with deferred():  # the file and the record of it belong together
                atomic_write(path, text, exclusive=path not in replace)
                written.append(path)
    except BaseException as exc:
        with deferred():
            for path in written:
                if path in saved:
                    path.write_bytes(saved[path])
                else:
                    path.unlink(missing_ok=True)
            for d in reversed(created_dirs):
                try:
                    d.rmdir()
                except OSError:
                    pass
        if isinstance(exc, OSError):
            raise PlanError(f"cannot write {what}: {exc.strerror or exc}") from None
        raise
    return written


def preflight(plan: Plan, out_dir: str | Path) -> None:
    """What ``write_plan`` would refuse, checked before the (slow) verification: an existing
    file among the plan's, or an ``out_dir`` that cannot be written."""
    out = Path(out_dir)
    refuse_existing({name: out / name for name in plan_files(plan)})
    check_writable(out)


def refuse_existing(targets: dict[str, Path], keep: tuple[str, ...] = ()) -> None:
    """PlanError naming the first target that exists (``keep``: names that may be replaced)."""
    existing = [str(p) for name, p in targets.items() if name not in keep and p.exists()]
    if existing:
        raise PlanError(f"refusing to overwrite existing file {existing[0]}"
                        + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""),
                        hint="choose another --out directory or move the old plan away")


def check_writable(out: Path) -> None:
    """PlanError, before anything is written, when ``out`` cannot become a plan directory: it
    or a parent is a file, or the nearest existing parent is read-only."""
    probe = out
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise PlanError(f"cannot write the plan to {out}: {probe} is a file, not a directory")
    if probe.exists():
        try:
            read_only = bool(os.statvfs(probe).f_flag & os.ST_RDONLY)
        except OSError:
            read_only = False
        if read_only or not os.access(probe, os.W_OK | os.X_OK):
            raise PlanError(f"cannot write the plan to {out}: {probe} is not writable")


def _file_mode() -> int:
    """The mode open() would give a new file: 0666 less the process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def atomic_write(path: Path, content: str, *, exclusive: bool = True) -> None:
    """Write via a temp file + rename; with ``exclusive`` never replace an existing file. A
    signal waits until the file is in place or gone (no temp file is ever left behind)."""
    with deferred():
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            os.fchmod(fd, _FILE_MODE)  # mkstemp makes 0600; a plan is read by others too
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
            if exclusive:
                # link() fails if the target exists: no race between check and write.
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    raise PlanError(f"refusing to overwrite existing file {path}") from None
                os.unlink(tmp)
            else:
                os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
