"""Render findings: ``text`` for people, ``json`` for tools, ``github`` for Actions annotations,
``sarif`` (SARIF 2.1.0) for code scanning (GitHub's upload-sarif action, GitLab, IDEs)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

from migsmith.tools.lint.model import Finding

FORMATS = ("text", "json", "github", "sarif")


def _where(f: Finding) -> str:
    return f"{f.file or '<sql>'}:{f.line}:{f.column}"


def format_text(findings: list[Finding], *, files: int = 1) -> str:
    out = []
    explained: dict[tuple[str, str], str] = {}  # (why, rewrite) -> its wrapped text, once per rule
    for f in findings:
        out.append(f"{_where(f)}: {f.severity}[{f.rule_id}] {f.message}")
        if f.frame:
            out.append(textwrap.indent(f.frame, "  "))
        block = explained.get((f.why, f.safe_rewrite))
        if block is None:
            block = explained[(f.why, f.safe_rewrite)] = "\n".join([
                textwrap.indent(textwrap.fill(f"why: {f.why}", width=96), "    "),
                "    safe rewrite:", textwrap.indent(f.safe_rewrite, "      ")])
        out.append(block)
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


_FIELDS = tuple(Finding.__dataclass_fields__)


def format_json(findings: list[Finding], *, files: int = 1) -> str:
    """A JSON list, one finding per line (each encoded by json's C encoder: ``indent`` would
    switch to the pure-Python one, the slowest part of linting a thousand files)."""
    if not findings:
        return "[]"
    rows = (json.dumps({name: getattr(f, name) for name in _FIELDS}) for f in findings)
    return "[\n" + ",\n".join(rows) + "\n]"


def _escape_data(value: str) -> str:
    # GitHub workflow-command escaping (actions/toolkit, command.ts)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: list[Finding], *, files: int = 1) -> str:
    lines = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        # standard input has no file an annotation could point at
        props = [f"file={_escape_property(f.file)}"] if f.file and f.file != "<stdin>" else []
        props += [f"line={f.line}", f"col={f.column}", f"title={_escape_property(f.rule_id)}"]
        lines.append(f"::{level} {','.join(props)}::{_escape_data(f.message)}")
    return "\n".join(lines)


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule_descriptors(ids: list[str]) -> list[dict]:
    from migsmith.tools.lint.engine import FILE_FINDINGS
    from migsmith.tools.lint.rules import all_rules

    rules = all_rules()
    out = []
    for rule_id in ids:
        if rule_id in rules:
            r = rules[rule_id]
            message, why, rewrite, level = r.message, r.why, r.safe_rewrite, r.severity
        else:
            (message, why, rewrite), level = FILE_FINDINGS[rule_id], "error"
        out.append({
            "id": rule_id,
            "name": "".join(part.title() for part in rule_id.split("-")),
            "shortDescription": {"text": message},
            "fullDescription": {"text": why},
            "help": {"text": f"{why}\n\nSafe rewrite:\n{rewrite}",
                     "markdown": f"{why}\n\n**Safe rewrite:**\n\n```sql\n{rewrite}\n```"},
            "defaultConfiguration": {"level": "error" if level == "error" else "warning"},
        })
    return out


def _artifact_uri(file: str | None) -> str:
    if not file or file == "<stdin>":
        return "stdin"
    path = Path(file)
    # Relative paths stay relative (code scanning resolves them against the checkout);
    # absolute ones become file: URIs.
    return path.as_uri() if path.is_absolute() else path.as_posix()


def format_sarif(findings: list[Finding], *, files: int = 1) -> str:
    from migsmith import __version__

    ids = sorted({f.rule_id for f in findings})
    index = {rule_id: n for n, rule_id in enumerate(ids)}
    results = []
    for f in findings:
        region = {"startLine": f.line, "startColumn": f.column}
        if f.statement:
            region["snippet"] = {"text": f.statement}
        results.append({
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": "error" if f.severity == "error" else "warning",
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _artifact_uri(f.file)},
                "region": region,
            }}],
        })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "migsmith",
                "version": __version__,
                "rules": _rule_descriptors(ids),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2)


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}


def render(findings: list[Finding], fmt: str, *, files: int = 1) -> str:
    return FORMATTERS[fmt](findings, files=files)
