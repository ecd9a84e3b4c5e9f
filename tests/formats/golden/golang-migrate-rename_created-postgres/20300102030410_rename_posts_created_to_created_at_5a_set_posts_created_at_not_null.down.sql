-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 5/8: set posts.created_at NOT NULL using the validated check, then drop the check
-- golang-migrate migration rename_posts_created_to_created_at_5a_set_posts_created_at_not_null (part 1 of 3 of step 5: roll the parts of a step back together).
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET LOCAL lock_timeout = '200ms';

SET LOCAL statement_timeout = '60s';

ALTER TABLE "posts" ALTER COLUMN "created_at" DROP NOT NULL;

COMMIT;
