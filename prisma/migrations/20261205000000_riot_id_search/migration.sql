-- Searching players by Riot ID prefix, case-insensitively, reads this index rather than every
-- player: `lower(riot_id) LIKE lower('faker#k%')`.
CREATE INDEX "players_riot_id_search_idx" ON "players" (lower("riot_id") text_pattern_ops);
