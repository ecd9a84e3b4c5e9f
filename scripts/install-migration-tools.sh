#!/usr/bin/env bash
# Install the migration tools that the --format tests run for real, when they are missing:
# sqitch (with the PostgreSQL, SQLite and MySQL drivers) and Active Record (Rails' migrations,
# with the pg, sqlite3 and mysql2 gems) from Debian's packages, and the clients sqitch calls
# (psql, sqlite3, mysql). dbmate, Alembic and Django come from PyPI with the dev extras
# (pyproject.toml). Quiet; prints one line. Needs root (CI runs as root); without it, says
# what is missing and exits 0, and the tests that need those tools skip, saying why.
set -euo pipefail

need=()
command -v sqitch >/dev/null || need+=(sqitch)
perl -MDBD::Pg -e1 2>/dev/null || need+=(libdbd-pg-perl)
perl -MDBD::SQLite -e1 2>/dev/null || need+=(libdbd-sqlite3-perl)
perl -MDBD::mysql -e1 2>/dev/null || need+=(libdbd-mysql-perl)
command -v psql >/dev/null || need+=(postgresql-client)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v mysql >/dev/null || need+=(mariadb-client)
ruby -e "require 'active_record'" 2>/dev/null || need+=(ruby-activerecord)
ruby -e "require 'pg'" 2>/dev/null || need+=(ruby-pg)
ruby -e "require 'sqlite3'" 2>/dev/null || need+=(ruby-sqlite3)
ruby -e "require 'mysql2'" 2>/dev/null || need+=(ruby-mysql2)

if [ ${#need[@]} -eq 0 ]; then
  echo "install-migration-tools: sqitch and Active Record are installed" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-migration-tools: missing ${need[*]} (run as root to install; their tests skip)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# man pages and their index are not needed to run the tools (and take most of the time)
apt_opts=(-y -qq --no-install-recommends -o Dpkg::Options::=--path-exclude=/usr/share/man/*)
if ! apt-get install "${apt_opts[@]}" "${need[@]}" >/tmp/install-migration-tools.log 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install "${apt_opts[@]}" "${need[@]}" >/tmp/install-migration-tools.log 2>&1 || {
    tail -n 20 /tmp/install-migration-tools.log >&2
    echo "install-migration-tools: could not install ${need[*]}" >&2
    exit 1
  }
fi
echo "install-migration-tools: installed ${need[*]}" >&2
