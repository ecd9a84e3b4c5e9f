"""Plain text for the commands' own output: lines and aligned tables, no markup.

`migsmith plan` prints a short table on every run, and rich (its console, its tables and their
measuring) costs that run about 0.05 s of its 0.4 s start-up budget; these few lines do what the
plan summary needs. The text is written as given: nothing in a table name or a path is read as
markup, and nothing is cropped.
"""

from __future__ import annotations

import shutil
import sys
import textwrap


def say(text: str = "", *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(f"{text}\n")


def table(headers: list[str], rows: list[list[str]], *, wrap: int | None = None) -> str:
    """``rows`` under ``headers``, columns aligned; column ``wrap`` (an index) is wrapped to
    what the terminal leaves for it, the others are kept whole."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    if wrap is not None:
        others = sum(w for i, w in enumerate(widths) if i != wrap) + 2 * (len(widths) - 1)
        room = shutil.get_terminal_size((100, 24)).columns - others
        widths[wrap] = max(len(headers[wrap]), min(widths[wrap], max(room, 24)))
    lines = [_row(headers, widths), _row(["-" * w for w in widths], widths)]
    for row in cells:
        parts = [textwrap.wrap(c, widths[i]) or [""] if i == wrap else [c]
                 for i, c in enumerate(row)]
        for n in range(max(len(p) for p in parts)):
            lines.append(_row([p[n] if n < len(p) else "" for p in parts], widths))
    return "\n".join(lines)


def _row(values: list[str], widths: list[int]) -> str:
    return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()
