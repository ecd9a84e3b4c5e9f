#!/usr/bin/env bash
# Start a throwaway MariaDB for tests and `migsmith verify --dialect mysql`; print its URL.
#
#   scripts/mariadb.sh          # install if needed, start (or reuse), print mysql://... URL
#   scripts/mariadb.sh stop     # stop it and delete its data directory
#
# Installs Debian's mariadb-server with apt-get when mariadbd is missing (root only). The server
# listens on loopback only, keeps its data in a temp directory, and runs as the unprivileged
# `mysql` user (or as the calling user when not root). Running it again while the server is up
# only prints the URL, so CI and the test fixture can both call it.
#
# Durability is traded for speed (no flush per commit, no doublewrite, one shared tablespace so
# CREATE/DROP TABLE create no files): the data is throwaway; the DDL algorithms are the same.
#
# Environment: MIGSMITH_MARIADB_DIR (default /tmp/migsmith-mariadb), MIGSMITH_MARIADB_PORT
# (default 33306). Everything except the URL goes to stderr.
set -euo pipefail

DIR="${MIGSMITH_MARIADB_DIR:-/tmp/migsmith-mariadb}"
PORT="${MIGSMITH_MARIADB_PORT:-33306}"
USER_NAME=migsmith
PASSWORD=migsmith
URL="mysql://${USER_NAME}:${PASSWORD}@127.0.0.1:${PORT}/"
SOCK="$DIR/mysqld.sock"
PIDFILE="$DIR/mysqld.pid"

log() { echo "mariadb.sh: $*" >&2; }

# One caller at a time (parallel test workers, CI and a developer may all call this).
exec 9>"${DIR}.lock"
flock 9

find_bin() {  # mariadbd lives in /usr/sbin, which is not on every PATH
  for name in "$@"; do
    for cand in "$(command -v "$name" 2>/dev/null || true)" "/usr/sbin/$name" "/usr/bin/$name"; do
      if [ -n "$cand" ] && [ -x "$cand" ]; then echo "$cand"; return 0; fi
    done
  done
  return 1
}

running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

if [ "${1:-start}" = "stop" ]; then
  if running; then
    kill "$(cat "$PIDFILE")"
    for _ in $(seq 1 60); do running || break; sleep 0.5; done
  fi
  rm -rf "$DIR"
  log "stopped"
  exit 0
fi

if running; then
  echo "$URL"
  exit 0
fi

if ! MARIADBD="$(find_bin mariadbd mysqld)"; then
  if [ "$(id -u)" != 0 ]; then
    log "mariadbd not found and not root: install mariadb-server first"; exit 1
  fi
  log "installing mariadb-server with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # policy-rc.d 101 keeps the package from starting the system-wide service on install.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client >&2
  MARIADBD="$(find_bin mariadbd mysqld)"
fi
INSTALL_DB="$(find_bin mariadb-install-db mysql_install_db)"
CLIENT="$(find_bin mariadb mysql)"

# mariadb-install-db gives root and the OS user that runs it socket-authenticated accounts.
ADMIN="$(id -un)"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  ADMIN=root
  id mysql >/dev/null 2>&1 || useradd --system --no-create-home mysql
  RUN_AS=(--user=mysql)
fi

if [ ! -d "$DIR/data/mysql" ]; then
  rm -rf "$DIR"
  mkdir -p "$DIR/data"
  [ "$(id -u)" = 0 ] && chown -R mysql:mysql "$DIR"
  log "initialising $DIR/data"
  "$INSTALL_DB" --no-defaults "${RUN_AS[@]}" --datadir="$DIR/data" --skip-test-db \
    --auth-root-authentication-method=socket >"$DIR/install.log" 2>&1 \
    || { cat "$DIR/install.log" >&2; exit 1; }
fi
[ "$(id -u)" = 0 ] && chown -R mysql:mysql "$DIR"

log "starting mariadbd on 127.0.0.1:$PORT"
# --no-defaults: ignore /etc/mysql so a system config cannot move the socket or the port.
"$MARIADBD" --no-defaults "${RUN_AS[@]}" --datadir="$DIR/data" --port="$PORT" \
  --bind-address=127.0.0.1 --socket="$SOCK" --pid-file="$PIDFILE" \
  --log-error="$DIR/error.log" --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
  --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
  --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-file-per-table=0 \
  >/dev/null 2>&1 9>&- &  # 9>&-: the server must not inherit (and hold) the flock

for _ in $(seq 1 120); do
  if "$CLIENT" --no-defaults --socket="$SOCK" -u"$ADMIN" -e "SELECT 1" >/dev/null 2>&1; then
    break
  fi
  sleep 0.25
done
if ! "$CLIENT" --no-defaults --socket="$SOCK" -u"$ADMIN" -e "SELECT 1" >/dev/null 2>&1; then
  log "server did not come up; last lines of $DIR/error.log:"
  tail -n 20 "$DIR/error.log" >&2 || true
  exit 1
fi

# A password user over TCP, so clients need no socket access (the admin keeps socket auth only).
"$CLIENT" --no-defaults --socket="$SOCK" -u"$ADMIN" <<SQL
CREATE USER IF NOT EXISTS '${USER_NAME}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO '${USER_NAME}'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
echo "$URL"
