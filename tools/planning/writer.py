"""Writing a plan directory: every file at once or none, never over an existing file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from migsmith.tools.errors import PlanError
from migsmith.tools.planning.plan import Plan


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
    """Write all files of ``plan`` into ``out_dir`` atomically (see ``write_files``)."""
    out = Path(out_dir)
    files = plan_files(plan)
    replace = {"plan.json", "PLAN.md"} if overwrite_plan_json else set()
    return write_files({out / name: text for name, text in files.items()},
                       replace={out / name for name in replace})


def write_files(files: dict[Path, str], *, replace: set[Path] = frozenset()) -> list[Path]:
    """Write every file at once or none.

    Refuses before writing anything if any target file exists (except those in ``replace``,
    which are replaced atomically). Each file is written to a temporary name in the same
    directory and renamed into place; on any failure the files written so far are removed
    again (and replaced ones restored), so an error leaves the directories as they were.
    """
    existing = [str(p) for p in files if p.exists() and p not in replace]
    if existing:
        raise PlanError(f"refusing to overwrite existing file {existing[0]}"
                        + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""),
                        hint="choose another --out directory or move the old plan away")
    created_dirs = [d for d in sorted({p.parent for p in files}, key=lambda d: len(d.parts))
                    if not d.exists()]
    written: list[Path] = []
    saved: dict[Path, bytes] = {p: p.read_bytes() for p in replace if p in files and p.exists()}
    try:
        for d in created_dirs:
            d.mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            atomic_write(path, text, exclusive=path not in replace)
            written.append(path)
    except BaseException:
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
        raise
    return written


def atomic_write(path: Path, content: str, *, exclusive: bool = True) -> None:
    """Write via a temp file + rename; with ``exclusive`` never replace an existing file."""
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
