"""The I/O edge of the formats: read the target directory, write the tool's files and the
plain plan beside them, all at once or none (``tools/planning/writer.py``)."""

from __future__ import annotations

import datetime as _dt
import getpass
import os
import subprocess
from pathlib import Path

from migsmith.tools.formats import base, get_format
from migsmith.tools.planning.plan import Plan, ToolFormat, ToolMigrationInfo


def read_target(out: Path, plan_dir: Path, *, now: _dt.datetime | None = None) -> base.Target:
    files: dict[str, str] = {}
    if out.is_dir():
        for p in sorted(out.iterdir()):
            if p.is_file() and p.stat().st_size < 4 * 1024 * 1024:
                files[p.name] = p.read_bytes().decode("utf-8", "surrogateescape")
    return base.Target(path=str(out), files=files,
                       now=now or _dt.datetime.now(_dt.timezone.utc),
                       plan_dir=os.path.relpath(plan_dir), planner=_planner(),
                       app_label=out.resolve().parent.name if out.name == "migrations" else None)


def _planner() -> tuple[str, str]:
    def git(key: str) -> str:
        try:
            return subprocess.run(["git", "config", key], capture_output=True, text=True,
                                  timeout=5).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    user = os.environ.get("SQITCH_FULLNAME") or git("user.name") or getpass.getuser()
    email = os.environ.get("SQITCH_EMAIL") or git("user.email") or f"{getpass.getuser()}@localhost"
    return user, email


def render_format(plan: Plan, tool: str, target: base.Target) -> base.Rendered:
    """Render ``plan`` for ``tool`` and record the tool's migrations in the plan."""
    rendered = get_format(tool).render(plan, target)
    plan.format = ToolFormat(
        tool=tool, dir=target.path, run=rendered.run, notes=rendered.notes,
        migrations=[ToolMigrationInfo(**vars(m)) for m in rendered.migrations])
    return rendered


def plan_section(plan: Plan, plan_dir: str) -> str:
    env = base.environment("common")
    return env.get_template("plan_section.md.j2").render(
        f=plan.format, steps=len(plan.steps), plan_dir=plan_dir,
        deploy_points=[s for s in plan.steps if (s.deploy_note or "").startswith("Before:")])


def write_format(plan: Plan, rendered: base.Rendered, out: Path, plan_dir: Path) -> list[Path]:
    from migsmith.tools.planning.writer import plan_files, write_files

    files = plan_files(plan)
    files["PLAN.md"] = files["PLAN.md"].rstrip("\n") + "\n" + plan_section(
        plan, os.path.relpath(plan_dir)).rstrip("\n") + "\n"
    targets = {plan_dir / name: text for name, text in files.items()}
    targets |= {out / name: text for name, text in rendered.files.items()}
    return write_files(targets, replace={out / name for name in rendered.replaces})
