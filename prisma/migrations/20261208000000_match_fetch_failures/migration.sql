-- A match id whose fetch failed (a 5xx, a 404, a payload that cannot be stored): the updater asks
-- for it again with a growing wait instead of skipping it at once, and gives it up a day after its
-- first failure. Its player's watermark stays before it meanwhile, so nothing is lost to a blip.
CREATE TABLE "match_fetch_failures" (
    "match_id" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_error" TEXT NOT NULL,
    "first_failed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_failed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gave_up_at" TIMESTAMPTZ(6),

    CONSTRAINT "match_fetch_failures_pkey" PRIMARY KEY ("match_id")
);
