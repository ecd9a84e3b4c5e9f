"""Reading the files a user hands over (specs, plan.json, step files, state files): one clear
error for every way such a file can be wrong, never a traceback.

Missing, a directory, unreadable, not UTF-8, JSON that is malformed or nested too deeply for a
parser (a 200,000-deep array is a RecursionError in every JSON library): each becomes a
``MigsmithError`` of the caller's choosing that names the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from migsmith.tools.errors import MigsmithError


def read_text(path: str | Path, what: str, error: type[MigsmithError] = MigsmithError) -> str:
    """The UTF-8 text of ``path`` (``what`` names it in the message: "spec file", ...)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise error(f"{what} not found: {p}") from None
    except IsADirectoryError:
        raise error(f"{what} {p} is a directory, not a file") from None
    except OSError as exc:
        raise error(f"cannot read {what} {p}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{what} {p} is not UTF-8 text (byte 0x{data[exc.start]:02x} at line "
                    f"{line})") from None


def load_json(text: str, source: str, error: type[MigsmithError] = MigsmithError):
    """``json.loads(text)`` with one clear error naming ``source``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{source}: malformed JSON at line {exc.lineno} column {exc.colno}: "
                    f"{exc.msg}") from None
    except RecursionError:
        raise error(f"{source}: JSON nested too deeply to read") from None
