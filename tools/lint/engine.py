"""Run the rules over a file: parse, read directives, walk statements in order with state."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from pathlib import Path

from migsmith.tools.errors import MigsmithError, SQLParseError, UsageError, did_you_mean
from migsmith.tools.lint.context import Hit, RuleContext
from migsmith.tools.lint.directives import DirectiveError, read_directives
from migsmith.tools.lint.model import DIALECTS, Finding, Statement
from migsmith.tools.lint.parsing import parse
from migsmith.tools.lint.rules import Rule, all_rules, ids_in, rules_for
from migsmith.tools.lint.state import FileState, advance


def check_rule_ids(ids: Iterable[str] | None, *, option: str) -> set[str]:
    """Validate user-supplied rule ids, naming the closest match for a typo."""
    known = all_rules()
    ids = set(ids or ())
    for rule_id in sorted(ids):
        if rule_id not in known:
            raise MigsmithError(f"unknown rule id {rule_id!r} in {option}",
                                hint=did_you_mean(rule_id, known))
    return ids


def _check_dialect(dialect: str) -> None:
    if dialect not in DIALECTS:
        raise MigsmithError(f"unknown dialect {dialect!r}", hint=did_you_mean(dialect, DIALECTS))


def _finding(rule: Rule, hit: Hit, stmt: Statement, filename: str | None) -> Finding:
    where = hit.stmt or stmt
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,  # type: ignore[arg-type]
        message=hit.message or rule.message,
        why=rule.why,
        safe_rewrite=rule.safe_rewrite,
        file=filename,
        line=where.line,
        column=where.column,
        statement=where.text,
    )


def lint_sql(
    sql: str,
    *,
    dialect: str = "postgres",
    filename: str | None = None,
    pg_version: int = 14,
    assume_in_transaction: bool = False,
    rules: set[str] | None = None,
    exclude: set[str] | None = None,
    runner=None,
) -> list[Finding]:
    """Lint one migration file's SQL. Raises ``SQLParseError`` (with file/line/column) when it
    does not parse, ``DirectiveError`` for a bad ``migsmith:`` comment.

    ``assume_in_transaction``: the migration runner wraps the whole file in one transaction.
    ``rules``: only these rule ids; ``exclude``: never these. Findings come in file order.
    ``runner``: the ``runners.Section`` the SQL is, so that findings can name the runner.
    """
    _check_dialect(dialect)
    only = check_rule_ids(rules, option="rules") if rules is not None else None
    skip = check_rule_ids(exclude, option="exclude")
    active = [r for r in rules_for(dialect)
              if (only is None or r.id in only) and r.id not in skip]

    parsed = parse(sql, dialect, filename)
    statements = parsed.statements
    if assume_in_transaction and runner is not None and runner.outside_if_all_nontx and statements \
            and dialect == "postgres":
        from migsmith.tools.lint.pg import refuses_transaction

        if all(refuses_transaction(s.node) for s in statements):
            assume_in_transaction = False  # Flyway runs such a file outside a transaction
    directives = read_directives(parsed.comments, statements, set(all_rules()), parsed.lines, filename)
    active = [r for r in active if r.id not in directives.file_disabled]
    for index, ids in directives.by_statement.items():
        statements[index].disabled = ids

    state = FileState(dialect=dialect, pg_version=pg_version, assume_in_transaction=assume_in_transaction,
                      runner=runner)
    findings: list[Finding] = []
    by_kind = _rules_by_kind(tuple(r.id for r in active))  # the active rules that look at each kind of statement
    for stmt in statements:
        ctx = RuleContext(stmt, state)
        kind = stmt.kind
        rules_here = by_kind.get(kind)
        if rules_here is None:
            rules_here = by_kind[kind] = tuple(r for r in active if r.statements is None or kind in r.statements)
        for rule in rules_here:
            if stmt.disabled and rule.id in stmt.disabled:
                continue
            for hit in rule.check(ctx):
                findings.append(_finding(rule, hit, stmt, filename))
        advance(state, stmt)

    end_ctx = RuleContext(None, state)
    for rule in active:
        if rule.check_end is None:
            continue
        for hit in rule.check_end(end_ctx):
            target = hit.stmt
            if target is None or rule.id in target.disabled:
                continue
            findings.append(_finding(rule, hit, target, filename))

    if len(findings) > 1:
        order = {r.id: n for n, r in enumerate(active)}
        findings.sort(key=lambda f: (f.line, f.column, order.get(f.rule_id, 0)))
    return findings


_BY_KIND: dict[tuple, dict[str, tuple]] = {}


def _rules_by_kind(active: tuple) -> dict[str, tuple]:
    """One dispatch table per set of active rules, filled as statement kinds come up, shared
    by every file of a run."""
    table = _BY_KIND.get(active)
    if table is None:
        table = _BY_KIND[active] = {}
    return table


# Findings about a file as a whole, not about one statement: they cannot be switched off, since
# a file that cannot be read is a file whose statements were never checked.
FILE_FINDINGS = {
    "syntax-error": (
        "the file does not parse, so none of its statements were checked",
        "The runner will reject this file (or run only part of it), and the linter could not check "
        "a single statement of it. PostgreSQL files are parsed with PostgreSQL's own grammar: what "
        "fails here fails on the server.",
        "-- fix the SQL at the position shown (or, for a file that is not SQL, exclude its path\n"
        "-- with exclude-paths in [tool.migsmith.lint])",
    ),
    "invalid-directive": (
        "a migsmith:disable comment names no rule, or a rule that does not exist",
        "A directive that cannot be honoured is an error rather than a silent no-op, so that a typo "
        "cannot leave a rule on that the author believes is off (or the reverse, after a rename).",
        "-- migsmith:disable ban-drop-column -- the reason",
    ),
}


def frame(text: str, line: int, column: int, *, context: int = 2) -> str:
    """The lines up to ``line`` (1-based) with a caret under ``column``, numbered like an editor."""
    lines = text.splitlines() or [""]
    line = max(1, min(line, len(lines)))
    first = max(1, line - context)
    width = len(str(line))
    out = [f"  {n:>{width}} | {lines[n - 1]}".rstrip() for n in range(first, line + 1)]
    out[-1] = ">" + out[-1][1:]
    prefix = lines[line - 1][:max(column - 1, 0)]
    pad = "".join(ch if ch == "\t" else " " for ch in prefix)
    out.append(f"  {' ' * width} | {pad}^")
    return "\n".join(out)


def file_finding(rule_id: str, message: str, text: str, line: int | None, column: int | None,
                 filename: str | None) -> Finding:
    if line is None:  # position unknown: the end of the text, where the parser gave up
        stripped = text.rstrip()
        line = stripped.count("\n") + 1
        column = len(stripped) - (stripped.rfind("\n") + 1) + 1
    column = column or 1
    _, why, rewrite = FILE_FINDINGS[rule_id]
    lines = text.splitlines()
    return Finding(rule_id=rule_id, severity="error", message=message, why=why, safe_rewrite=rewrite,
                   file=filename, line=line, column=column,
                   statement=lines[line - 1].strip() if 0 < line <= len(lines) else "",
                   frame=frame(text, line, column))


def _bare(exc: Exception, filename: str | None) -> str:
    """The error's message without the "file:line:col: " prefix it carries for stderr."""
    message = getattr(exc, "message", str(exc))
    where = ":".join(str(p) for p in (filename, getattr(exc, "line", None), getattr(exc, "column", None))
                     if p is not None)
    message = message.removeprefix(f"{where}: ") if where else message
    hint = getattr(exc, "hint", None)
    return f"{message} ({hint})" if hint else message


def lint_text(text: str, *, filename: str | None = None, path: Path | None = None,
              assume_in_transaction: bool | None = None, exclude: set[str] | None = None,
              **options) -> list[Finding]:
    """Lint one file's text as its migration runner will run it (see runners.py): each section
    (the up and down halves of a dbmate/goose file, each Liquibase changeset) on its own, in a
    transaction or not as the runner decides, destructive rules off on down sections. A file that
    does not parse, or a bad directive, is a finding rather than an exception.

    ``assume_in_transaction``: None lets the runner decide; True/False overrides the runner's
    default (an explicit opt-out in the file or beside it still wins). ``options`` are
    ``lint_sql``'s."""
    from migsmith.tools.lint.runners import masked, sections

    findings: list[Finding] = []
    for section in sections(text, path):
        skip = set(exclude or ())
        if section.direction == "down":
            skip |= ids_in("destructive")
        try:
            findings.extend(lint_sql(masked(text, section), filename=filename, exclude=skip,
                                     assume_in_transaction=section.runs_in_transaction(assume_in_transaction),
                                     runner=section, **options))
        except DirectiveError as exc:
            findings.append(file_finding("invalid-directive", _bare(exc, filename), text, exc.line,
                                         exc.column, filename))
        except SQLParseError as exc:
            findings.append(file_finding("syntax-error", _bare(exc, filename), text, exc.line,
                                         exc.column, filename))
    return findings


def read_source(path: str | os.PathLike[str]) -> tuple[str, str]:
    """(display name, text) for a path, or ``-`` for standard input. Raises UsageError for a
    path that does not exist, MigsmithError for one that cannot be read as UTF-8 text."""
    if str(path) == "-":
        return "<stdin>", sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return str(path), handle.read()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory (lint_paths walks directories)") from None
    except UnicodeDecodeError as exc:
        raise MigsmithError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise MigsmithError(f"{path}: {exc.strerror}") from None


def _unreadable(path: Path, name: str, exc: MigsmithError) -> Finding:
    try:
        data = path.read_bytes()
    except OSError:  # unreadable (permissions): the finding carries the message, no frame text
        data = b""
    cause = exc.__context__
    offset = cause.start if isinstance(cause, UnicodeDecodeError) else 0
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[data.rfind(b"\n", 0, offset) + 1:offset].decode("utf-8", errors="replace")) + 1
    text = data.decode("utf-8", errors="replace")
    return file_finding("syntax-error", _bare(exc, name).removeprefix(f"{name}: "), text, line, column, name)


# Work shared with forked workers: set before the pool forks, so nothing is pickled per file.
_JOB: dict = {}


def _lint_item(item: str | Path) -> list[Finding]:
    try:
        name, text = read_source(item)
    except UsageError:
        raise
    except MigsmithError as exc:  # exists but is not UTF-8 text, or cannot be read
        return [_unreadable(Path(item), str(item), exc)]
    path = None if str(item) == "-" else Path(item)
    return lint_text(text, filename=name, path=path, **_JOB)


# Below this many files a second process costs more than it saves.
FILES_PER_WORKER = 300


def workers_for(files: int, jobs: int | None) -> int:
    """Processes to lint ``files`` files with: ``jobs`` if given, else one per available CPU
    and FILES_PER_WORKER files; 1 where processes cannot be forked."""
    if jobs is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        jobs = min(cpus, files // FILES_PER_WORKER)
    if jobs <= 1 or files <= 1:
        return 1  # (multiprocessing is not even imported: start-up)
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(jobs, files)


def lint_paths(paths: Iterable[str | os.PathLike[str]], *, config=None, jobs: int | None = None,
               **options) -> tuple[list[Finding], int]:
    """Lint files, directories (walked for SQL files, see sources.py) and ``-`` (stdin), with
    ``lint_text``'s options. Returns (findings in path order, number of files linted). A path
    that does not exist raises UsageError before anything is linted.

    ``jobs``: processes to use (default: one per CPU for large inputs, see ``workers_for``);
    findings come back in the same order either way."""
    from migsmith.tools.lint.runners import _listing
    from migsmith.tools.lint.sources import collect

    _listing.cache_clear()  # folder listings are remembered for one run only
    files = collect(paths, config=config)
    _JOB.clear()
    _JOB.update(options)
    workers = 1 if "-" in files else workers_for(len(files), jobs)
    if workers == 1:
        results = [_lint_item(item) for item in files]
    else:
        import multiprocessing

        all_rules()  # load the rules once, before the fork
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_lint_item, files, chunksize=max(1, len(files) // (workers * 8)))
    return [f for found in results for f in found], len(files)


def lint_files(paths: Iterable[str | os.PathLike[str]], **options) -> list[Finding]:
    """Lint each file (``-`` = stdin) with the options of ``lint_sql``, exactly as written (no
    runner sections); findings in path order. The first file that does not parse raises
    ``SQLParseError``."""
    findings: list[Finding] = []
    for path in paths:
        name, text = read_source(path)
        findings.extend(lint_sql(text, filename=name, **options))
    return findings
