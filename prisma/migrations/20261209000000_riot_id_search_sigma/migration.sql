-- Searching ΣΟΦΟΣ must find Σοφος#EUW: lower() turns Σ into σ but keeps a final sigma ς, so the
-- search compares Riot IDs lowered with ς folded to σ, and reads this index rather than every
-- player: `translate(lower(riot_id), 'ς', 'σ') LIKE translate(lower('σοφος%'), 'ς', 'σ')`.
CREATE INDEX "players_riot_id_folded_search_idx" ON "players" (translate(lower("riot_id"), 'ς', 'σ') text_pattern_ops);

-- As for the index it replaces: a rare prefix must not be estimated as common.
ALTER INDEX "players_riot_id_folded_search_idx" ALTER COLUMN 1 SET STATISTICS 1000;

-- No search uses lower(riot_id) alone any more.
DROP INDEX "players_riot_id_search_idx";
