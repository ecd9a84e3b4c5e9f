"""A Django project of one app ("app", its migrations written by migsmith), driven from
stdin: each line is a JSON list of `migrate` arguments; answers MIGSMITH-OK or MIGSMITH-ERROR.

The first argument names the database to migrate (dialect, name, user, host ...)."""

import json
import os
import sys
import traceback

import django
from django.conf import settings

sys.path.insert(0, os.getcwd())  # the project: app/ and its migrations
spec = json.loads(sys.argv[1])
if spec["dialect"] == "postgres":
    db = {"ENGINE": "django.db.backends.postgresql", "NAME": spec["name"], "USER": spec["user"],
          "HOST": spec["host"]}
elif spec["dialect"] == "mysql":
    db = {"ENGINE": "django.db.backends.mysql", "NAME": spec["name"], "USER": spec["user"],
          "PASSWORD": spec["password"], "HOST": spec["host"], "PORT": str(spec["port"])}
else:
    db = {"ENGINE": "django.db.backends.sqlite3", "NAME": spec["path"]}
settings.configure(DATABASES={"default": db}, INSTALLED_APPS=["app"], USE_TZ=True)
if spec["dialect"] == "mysql":
    import pymysql

    pymysql.install_as_MySQLdb()
    pymysql.version_info = (2, 2, 1, "final", 0)  # Django asks for mysqlclient's version
django.setup()
from django.core.management import call_command  # noqa: E402

for line in sys.stdin:
    args = json.loads(line)
    try:
        call_command(*args, verbosity=1)
        print("MIGSMITH-OK", flush=True)
    except Exception:  # report and go on: the test decides
        print(traceback.format_exc(), flush=True)
        print("MIGSMITH-ERROR", flush=True)
    from django.db import connection

    connection.close()
