"""Render findings: ``text`` for people, ``json`` for tools, ``github`` for Actions annotations."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable

from migsmith.tools.lint.model import Finding

FORMATS = ("text", "json", "github")


def _where(f: Finding) -> str:
    return f"{f.file or '<sql>'}:{f.line}:{f.column}"


def format_text(findings: list[Finding], *, files: int = 1) -> str:
    out = []
    for f in findings:
        out.append(f"{_where(f)}: {f.severity}[{f.rule_id}] {f.message}")
        out.append(textwrap.indent(textwrap.fill(f"why: {f.why}", width=96), "    "))
        out.append("    safe rewrite:")
        out.append(textwrap.indent(f.safe_rewrite, "      "))
        out.append("")
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    noun = "file" if files == 1 else "files"
    if findings:
        out.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
                   f"in {files} {noun}")
    else:
        out.append(f"no findings in {files} {noun}")
    return "\n".join(out)


def format_json(findings: list[Finding], *, files: int = 1) -> str:
    return json.dumps([f.model_dump() for f in findings], indent=2)


def _escape_data(value: str) -> str:
    # GitHub workflow-command escaping (actions/toolkit, command.ts)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: list[Finding], *, files: int = 1) -> str:
    lines = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        props = [f"file={_escape_property(f.file)}"] if f.file else []
        props += [f"line={f.line}", f"col={f.column}", f"title={_escape_property(f.rule_id)}"]
        lines.append(f"::{level} {','.join(props)}::{_escape_data(f.message)}")
    return "\n".join(lines)


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}


def render(findings: list[Finding], fmt: str, *, files: int = 1) -> str:
    return FORMATTERS[fmt](findings, files=files)
