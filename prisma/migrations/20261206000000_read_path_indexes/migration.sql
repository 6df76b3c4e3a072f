-- Indexes for the read paths operators hit on a large database.

-- Each job's newest execution (jobs, statusOverview): one probe per configuration.
CREATE INDEX "job_executions_config_newest_idx" ON "job_executions" ("job_config_id", "id" DESC);

-- jobExecutions(since:).
CREATE INDEX "job_executions_created_at_idx" ON "job_executions" ("created_at");

-- players(analyzed: true) and its count.
CREATE INDEX "players_analyzed_idx" ON "players" ("puuid") WHERE "is_analyzed";

-- rankHistory: each player's newest snapshots straight from the index, without visiting the table.
CREATE INDEX "rank_snapshots_puuid_newest_idx" ON "rank_snapshots" ("puuid", "captured_at" DESC, "id" DESC)
  INCLUDE ("queue_type", "tier", "rank", "league_points", "wins", "losses");

-- A rare Riot ID prefix is estimated as common with the default statistics, and the planner then
-- walks every player in PUUID order instead of using the search index.
ALTER INDEX "players_riot_id_search_idx" ALTER COLUMN 1 SET STATISTICS 1000;

-- A player's matches, newest first (Player.matches): the page straight from the index, rather
-- than every participation of the player joined to its match and sorted.
CREATE INDEX "match_participants_puuid_start_idx" ON "match_participants" ("puuid", "game_start" DESC, "match_id" DESC);
