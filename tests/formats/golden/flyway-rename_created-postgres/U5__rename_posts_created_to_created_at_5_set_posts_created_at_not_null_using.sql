-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 5/8: set posts.created_at NOT NULL using the validated check, then drop the check
-- flyway migration rename_posts_created_to_created_at_5_set_posts_created_at_not_null_using.
-- Runs outside a transaction: each statement commits on its own.

SET lock_timeout = '200ms';

SET statement_timeout = '60s';

ALTER TABLE "posts" ADD CONSTRAINT "posts_created_at_not_null" CHECK ("created_at" IS NOT NULL) NOT VALID;

ALTER TABLE "posts" VALIDATE CONSTRAINT "posts_created_at_not_null";

ALTER TABLE "posts" ALTER COLUMN "created_at" DROP NOT NULL;

RESET lock_timeout;

RESET statement_timeout;
