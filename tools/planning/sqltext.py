"""Text that generated SQL carries besides identifiers and checked fragments: comment lines and
the bodies of dollar-quoted blocks. Both are places where a character of the user's text could
end the construct early (a line break ends a ``--`` comment, ``$tag$`` ends a body), so:

* comment text is reduced to one line of printable characters: line breaks of every kind
  (``\\n``, ``\\r``, U+2028/U+2029, ...), NUL and every other control, format or unassigned
  character become a space;
* a dollar-quote tag is chosen so that the body does not contain it.
"""

from __future__ import annotations

import unicodedata


def comment_line(text) -> str:
    """``text`` as one line of printable characters (blanks collapsed), safe after ``--``."""
    chars = []
    for ch in str(text if text is not None else ""):
        category = unicodedata.category(ch)
        # C*: controls (NUL, CR, LF, ...), format (bidi overrides), surrogates, private use,
        # unassigned; Zl/Zp/Zs: line and paragraph separators and odd spaces.
        chars.append(" " if category[0] in "CZ" else ch)
    return " ".join("".join(chars).split())


def dollar_tag(body: str, base: str) -> str:
    """``$base$``, or ``$base_N$`` with the smallest N, such that ``body`` does not contain it
    (so nothing in the body can close the quote)."""
    tag, n = f"${base}$", 0
    while tag in body:
        n += 1
        tag = f"${base}_{n}$"
    return tag


def dollar_quoted(body: str, base: str) -> str:
    """``body`` between dollar quotes it cannot close."""
    tag = dollar_tag(body, base)
    return f"{tag}{body}{tag}"


def mysql_delimiter(body: str, base: str = "$$") -> str:
    """A ``DELIMITER`` for a MySQL stored program whose text does not contain it."""
    delimiter, n = base, 0
    while delimiter in body:
        n += 1
        delimiter = f"{base}{n}{base}"
    return delimiter


def delimited(body: str) -> str:
    """A MySQL stored program between ``DELIMITER`` lines, with a delimiter its text does not
    contain (the mysql client would end the program at the first one)."""
    text = body.strip()
    delimiter = mysql_delimiter(text)
    return f"DELIMITER {delimiter}\n{text}{delimiter}\nDELIMITER ;\n"
