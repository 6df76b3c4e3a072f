-- recentlyFlaggedPlayers (the dashboard): flagged players, most recently analysed first, from
-- the index rather than a read of every player.
CREATE INDEX "players_flagged_recent_idx" ON "players" ("last_analyzed_at" DESC NULLS LAST, "puuid")
  WHERE "is_flagged";
