-- When a flagged player's account check last failed: it is tried again an hour later, behind the
-- players due meanwhile. last_ban_check stays the time of the last check that answered.
ALTER TABLE "players" ADD COLUMN "ban_check_failed_at" TIMESTAMPTZ(6);
