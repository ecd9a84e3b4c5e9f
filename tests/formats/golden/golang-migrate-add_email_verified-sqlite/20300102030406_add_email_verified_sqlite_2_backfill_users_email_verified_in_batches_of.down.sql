-- migsmith: add_email_verified_sqlite (2030-01-02)
-- Track whether a user's email address has been verified.
-- DOWN step 2/3: backfill users.email_verified in batches of 12000, each its own transaction
-- This step changes no structure that needs undoing.
-- golang-migrate migration add_email_verified_sqlite_2_backfill_users_email_verified_in_batches_of.

-- Nothing to do in this direction for this part of the step.
