"""The account a MySQL/MariaDB shadow database belongs to: the user's schema and the plan run
as it, never as an account with global privileges.

An account with FILE can write any file the server may (``SELECT ... INTO OUTFILE``; an empty
``secure_file_priv`` means anywhere) and read them (``LOAD_FILE``, ``LOAD DATA INFILE``); SUPER,
SHUTDOWN, PROCESS and the like reach past the database. So every shadow database gets its own
account, with ALL PRIVILEGES on that database and nothing else (database-level ALL never
includes FILE, SUPER, PROCESS or SHUTDOWN), made for the host the server sees this connection
from, and dropped with the database.

An account that already holds no global privilege beyond USAGE is used as it is.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlparse, urlunparse

from migsmith.tools.proving.shadow.base import ShadowError

# Global privileges that reach past one database.
_GLOBAL = re.compile(r"GRANT (?:ALL PRIVILEGES|.*\b(?:FILE|SUPER|PROCESS|SHUTDOWN|CREATE USER|"
                     r"RELOAD|BINLOG ADMIN|CONNECTION ADMIN|READ_ONLY ADMIN)\b.*) ON \*\.\*",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Account:
    user: str
    host: str
    password: str


def privileged(cur) -> bool:
    cur.execute("SHOW GRANTS FOR CURRENT_USER()")
    return any(_GLOBAL.search(row[0]) for row in cur.fetchall())


def make_account(cur, database: str) -> Account | None:
    """A fresh account owning ``database`` (None when the connection's own is unprivileged)."""
    if not privileged(cur):
        return None
    cur.execute("SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', -1)")
    host = cur.fetchone()[0]
    account = Account(user=database, host=host, password=secrets.token_hex(16))
    try:
        cur.execute("CREATE USER %s@%s IDENTIFIED BY %s",
                    (account.user, account.host, account.password))
    except Exception as exc:  # noqa: BLE001 - pymysql's errors: a one-line refusal
        raise ShadowError(f"cannot make an unprivileged account for the shadow database "
                          f"({exc.args[-1] if exc.args else exc})",
                          hint="give --shadow-db an account without FILE/SUPER privileges, or "
                               "one that may create users") from None
    cur.execute(f"GRANT ALL PRIVILEGES ON `{database}`.* TO %s@%s", (account.user, account.host))
    # and on its companions, databases named after it ("<name>_..."): a migration tool's own
    # registry (sqitch keeps one in a database of its own); dropped with it.
    pattern = companions(database).replace("%", "%%")  # %% : pymysql's parameter syntax
    cur.execute(f"GRANT ALL PRIVILEGES ON `{pattern}`.* TO %s@%s", (account.user, account.host))
    return account


def companions(database: str) -> str:
    """The GRANT pattern of the databases named ``<database>_...`` (``_`` is a wildcard in a
    database name pattern, so the name's own underscores are escaped)."""
    return database.replace("_", "\\_") + "\\_%"


def drop_account(cur, account: Account | None) -> None:
    if account is not None:
        cur.execute("DROP USER IF EXISTS %s@%s", (account.user, account.host))


def account_url(url: str, database: str, account: Account | None) -> str:
    """``url`` for ``database``, logged in as ``account`` when there is one."""
    parts = urlparse(url)._replace(path="/" + database)
    if account is not None:
        host = parts.hostname or "127.0.0.1"
        netloc = f"{quote(account.user, safe='')}:{quote(account.password, safe='')}@{host}"
        parts = parts._replace(netloc=netloc + (f":{parts.port}" if parts.port else ""))
    return urlunparse(parts)


_DEFINER = re.compile(r"\bDEFINER\s*=\s*(?:`[^`]*`|'[^']*'|\"[^\"]*\"|[\w.%-]+)"
                      r"(?:\s*@\s*(?:`[^`]*`|'[^']*'|\"[^\"]*\"|[\w.%-]+))?", re.IGNORECASE)


def without_definers(statement: str) -> str:
    """A routine, trigger or view statement without its DEFINER clause: naming another account
    as definer needs SUPER, and on the shadow the owner account is the definer anyway."""
    return _DEFINER.sub("", statement)
