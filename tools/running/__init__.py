"""Running a plan against a database someone named: the step executor and the backfill runner."""
