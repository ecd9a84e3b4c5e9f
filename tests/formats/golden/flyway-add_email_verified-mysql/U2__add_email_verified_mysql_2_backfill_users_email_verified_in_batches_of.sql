-- migsmith: add_email_verified_mysql (2030-01-02)
-- Track whether a user's email address has been verified. (MySQL has no partial indexes: the index covers every row.)
-- DOWN step 2/3: backfill users.email_verified in batches of about 50 ms (up to 10000 rows)
-- This step changes no structure that needs undoing.
-- flyway migration add_email_verified_mysql_2_backfill_users_email_verified_in_batches_of.

-- Nothing to do in this direction for this part of the step.
