-- A player is not taken for analysis before this time: a run claims its players until its
-- timeout (two analyzer runs never analyse one player at once, and a run that dies frees them
-- then), and a player whose Riot fetch failed waits an hour. Cleared when an analysis is saved.
ALTER TABLE "players" ADD COLUMN "analysis_not_before" TIMESTAMPTZ(6);
