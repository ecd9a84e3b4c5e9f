"""Writing a plan directory: every file at once or none, never over an existing file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from migsmith.tools.errors import PlanError
from migsmith.tools.planning.plan import Plan
from migsmith.tools.signals import deferred


def plan_files(plan: Plan) -> dict[str, str]:
    """File name -> content for a plan (steps in apply order, alternative in its own folder)."""
    from migsmith.tools.planning.docs import render_markdown

    files: dict[str, str] = {}
    for prefix, steps in (("", plan.steps),
                          ("alternative/", plan.alternative.steps if plan.alternative else [])):
        for step in steps:
            slug = step.slug.removeprefix("alt_")
            step.up_file = f"{prefix}{slug}.up.sql"
            step.down_file = f"{prefix}{slug}.down.sql"
            files[step.up_file] = step.up_sql
            files[step.down_file] = step.down_sql
    files["PLAN.md"] = render_markdown(plan)
    files["plan.json"] = plan.model_dump_json(indent=2) + "\n"
    return files


def write_plan(plan: Plan, out_dir: str | Path, *, overwrite_plan_json: bool = False) -> list[Path]:
    """Write all files of ``plan`` into ``out_dir`` atomically.

    Refuses before writing anything if any target file exists. Each file is written to a
    temporary name in the same directory and renamed into place; on any failure (a full disk,
    a signal) the files written so far are removed again, so an error leaves the directory as
    it was.
    """
    out = Path(out_dir)
    files = plan_files(plan)
    targets = {name: out / name for name in files}
    refuse_existing(targets, keep=("plan.json", "PLAN.md") if overwrite_plan_json else ())
    check_writable(out)
    created_dirs = [d for d in sorted({p.parent for p in targets.values()}, key=lambda d: len(d.parts))
                    if not d.exists()]
    written: list[Path] = []
    try:
        for d in created_dirs:
            d.mkdir(parents=True, exist_ok=True)
        for name, path in targets.items():
            with deferred():  # the file and the record of it belong together
                atomic_write(path, files[name], exclusive=not (overwrite_plan_json
                                                               and name in ("plan.json", "PLAN.md")))
                written.append(path)
    except BaseException as exc:
        with deferred():
            for path in written:
                path.unlink(missing_ok=True)
            for d in reversed(created_dirs):
                try:
                    d.rmdir()
                except OSError:
                    pass
        if isinstance(exc, OSError):
            raise PlanError(f"cannot write the plan to {out}: "
                            f"{exc.strerror or exc}") from None
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


def atomic_write(path: Path, content: str, *, exclusive: bool = True) -> None:
    """Write via a temp file + rename; with ``exclusive`` never replace an existing file. A
    signal waits until the file is in place or gone (no temp file is ever left behind)."""
    with deferred():
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
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
