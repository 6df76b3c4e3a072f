-- The same index as players_flagged_ban_check_due_idx: one is enough.
DROP INDEX "players_flagged_last_ban_check_idx";

-- The analyzer re-analyses the least recently analysed of the players with enough new matches:
-- this order, so a run reads its few players rather than sorting every due one. The query repeats
-- `new_matches_since_analysis > 0`, so a generic plan (its threshold a parameter) can use it.
DROP INDEX "players_reanalysis_due_idx";
CREATE INDEX "players_reanalysis_due_idx" ON "players" ("last_analyzed_at" ASC NULLS FIRST, "puuid")
    WHERE "is_analyzed" AND "new_matches_since_analysis" > 0;
