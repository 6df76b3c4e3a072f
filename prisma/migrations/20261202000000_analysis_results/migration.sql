-- What an analysis concluded besides its scores: whether there was enough data, the boosted
-- verdict and its recurring duo partner. smurf_confidence says 'insufficient_data' too, so the
-- runbook-era readers of that column never take a missing analysis for "not a smurf".
ALTER TABLE "player_analyses"
    ADD COLUMN "status" TEXT NOT NULL DEFAULT 'ok',
    ADD COLUMN "is_boosted" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "duo_partner_puuid" TEXT,
    ADD CONSTRAINT "player_analyses_status_check" CHECK ("status" IN ('ok', 'insufficient_data'));

ALTER TABLE "players" ADD COLUMN "is_boosted" BOOLEAN NOT NULL DEFAULT false;

-- Flagged players whose account status is due for a check, oldest check first.
CREATE INDEX "players_flagged_ban_check_due_idx" ON "players" ("last_ban_check" ASC NULLS FIRST)
    WHERE "is_flagged";
