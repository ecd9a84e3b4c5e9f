"""`migsmith plan --format TOOL` / `--detect`: write the plan as the files of the migration
tool a repository already runs (the plain plan goes beside them, for verify/backfill/status)."""

from __future__ import annotations

import os
from pathlib import Path

from migsmith.commands._common import err_console
from migsmith.tools.errors import MigsmithError


def detect_tool(root: Path):
    """The best detection for the repository at ``root`` (MigsmithError when none)."""
    from migsmith.tools.formats.detect import detect

    paths = []
    skip = {".git", "node_modules", ".venv", "venv", "__pycache__", "target", "vendor"}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip]
        rel = os.path.relpath(dirpath, root)
        paths.extend(f if rel == "." else f"{rel}/{f}".replace(os.sep, "/") for f in filenames)
        if len(paths) > 200_000:
            break

    def read(path: str) -> str | None:
        full = root / path
        try:
            if full.stat().st_size > 1_000_000:
                return None
            return full.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    found = detect(paths, read)
    if not found:
        raise MigsmithError(f"no migration tool found under {root}",
                            hint="give --format TOOL and --out FOLDER")
    return found


def write_tool_files(plan, fmt: str, out: Path | None, plan_dir: Path | None,
                     detect: Path | None, *, dry_run: bool) -> tuple[Path, list[Path]]:
    from migsmith.tools.formats.output import read_target, render_format, write_format

    if detect is not None:
        best = detect_tool(detect)[0]
        err_console.print(f"detected {best.summary()}", markup=False)
        for note in best.notes:
            err_console.print(f"  {note}", markup=False, style="dim")
        if fmt == "sql":
            if best.format is None:
                raise MigsmithError(f"migsmith cannot write {best.tool} migrations yet",
                                    hint="plan with --format sql and copy the steps by hand")
            fmt = best.format
        out = out or detect / best.folder
    if fmt == "sql":
        raise MigsmithError("--plan-dir goes with --format TOOL")
    if out is None:
        raise MigsmithError(f"--format {fmt} needs --out FOLDER (the tool's migrations folder) "
                            "or --detect")
    plan_dir = plan_dir or Path("migsmith") / plan.name
    target = read_target(out, plan_dir)
    rendered = render_format(plan, fmt, target)
    written: list[Path] = []
    if not dry_run:
        written = write_format(plan, rendered, out, plan_dir)
    count = len(rendered.migrations)
    err_console.print(f"{fmt}: {count} migration{'s' if count != 1 else ''} for "
                      f"{len(plan.steps)} steps in {out} (plain plan in {plan_dir})",
                      markup=False)
    return plan_dir, written
