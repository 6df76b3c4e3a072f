-- The match store: what detection needs per participant, each match's raw payload, and the
-- bookkeeping of the tracked player updater and the analyzer. Hand-written to match schema.prisma.

-- riot_id_observed_at: when the stored Riot ID was true (a match's start, or an account-v1 answer),
--   so an older match stored later never renames a player back.
-- rank_checked_at: the last league-v4 answer; matches_synced_until: the start of the newest match
--   of the player's own match list stored without a gap (the next listing starts there).
-- pending_match_ids: ids listed after the watermark but not stored yet (a backlog beyond the
--   per-run cap), oldest first: the next runs take them without listing again.
-- new_matches_since_analysis: matches stored since the player's last analysis.
ALTER TABLE "players"
    ADD COLUMN "riot_id_observed_at" TIMESTAMPTZ(6),
    ADD COLUMN "rank_checked_at" TIMESTAMPTZ(6),
    ADD COLUMN "matches_synced_until" TIMESTAMPTZ(6),
    ADD COLUMN "pending_match_ids" TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN "new_matches_since_analysis" INTEGER NOT NULL DEFAULT 0;

-- The analyzer re-analyses analysed players with the most new matches first (never-analysed ones
-- come from players_unanalyzed_discovered_at_idx).
CREATE INDEX "players_reanalysis_due_idx" ON "players" ("new_matches_since_analysis" DESC)
    WHERE "is_analyzed" AND "new_matches_since_analysis" > 0;

-- The whole match-v5 payload, so later features can be backfilled without Riot requests.
ALTER TABLE "matches" ADD COLUMN "raw" JSONB;

-- lz4 compresses and decompresses far faster than the default pglz; a server built without lz4
-- keeps pglz.
DO $$
BEGIN
    ALTER TABLE "matches" ALTER COLUMN "raw" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 not supported by this server: matches.raw keeps pglz';
END
$$;

ALTER TABLE "match_participants"
    ADD COLUMN "game_start" TIMESTAMPTZ(6),
    ADD COLUMN "queue_id" INTEGER,
    ADD COLUMN "time_played" INTEGER,
    ADD COLUMN "game_ended_in_early_surrender" BOOLEAN,
    ADD COLUMN "game_ended_in_surrender" BOOLEAN,
    ADD COLUMN "team_early_surrendered" BOOLEAN,
    ADD COLUMN "total_damage_taken" INTEGER,
    ADD COLUMN "wards_placed" INTEGER,
    ADD COLUMN "wards_killed" INTEGER,
    ADD COLUMN "control_wards_placed" INTEGER,
    ADD COLUMN "kill_participation" DOUBLE PRECISION,
    ADD COLUMN "solo_kills" INTEGER,
    ADD COLUMN "max_cs_advantage_on_lane_opponent" DOUBLE PRECISION,
    ADD COLUMN "laning_phase_gold_exp_advantage" DOUBLE PRECISION,
    ADD COLUMN "early_laning_phase_gold_exp_advantage" DOUBLE PRECISION,
    ADD COLUMN "max_level_lead_lane_opponent" DOUBLE PRECISION,
    ADD COLUMN "lane_minions_first_10_minutes" DOUBLE PRECISION,
    ADD COLUMN "jungle_cs_before_10_minutes" DOUBLE PRECISION,
    ADD COLUMN "challenges" JSONB;

UPDATE "match_participants" mp
SET "game_start" = m."game_start", "queue_id" = m."queue_id"
FROM "matches" m
WHERE m."match_id" = mp."match_id";

ALTER TABLE "match_participants"
    ALTER COLUMN "game_start" SET NOT NULL,
    ALTER COLUMN "queue_id" SET NOT NULL;

-- An insert that does not give them (plain SQL, older code) gets the match's.
CREATE FUNCTION "riftwatch_participant_match_fields"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."game_start" IS NULL OR NEW."queue_id" IS NULL THEN
    SELECT COALESCE(NEW."game_start", m."game_start"), COALESCE(NEW."queue_id", m."queue_id")
      INTO NEW."game_start", NEW."queue_id"
      FROM "matches" m WHERE m."match_id" = NEW."match_id";
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "match_participants_match_fields"
BEFORE INSERT ON "match_participants"
FOR EACH ROW EXECUTE FUNCTION "riftwatch_participant_match_fields"();

-- "A player's recent games of a queue" is one index scan; it also serves every lookup by puuid.
DROP INDEX "match_participants_puuid_idx";
CREATE INDEX "match_participants_puuid_queue_start_idx"
    ON "match_participants" ("puuid", "queue_id", "game_start" DESC);
