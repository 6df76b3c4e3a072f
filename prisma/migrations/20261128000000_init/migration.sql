-- riftwatch initial schema. Hand-written to match prisma/schema.prisma; names follow the runbook.

CREATE TABLE "players" (
    "puuid" TEXT NOT NULL,
    "game_name" TEXT,
    "tag_line" TEXT,
    "riot_id" TEXT,
    "summoner_name" TEXT,
    "summoner_id" TEXT,
    "platform" TEXT NOT NULL,
    "summoner_level" INTEGER,
    "profile_icon_id" INTEGER,
    "current_tier" TEXT,
    "current_rank" TEXT,
    "current_lp" INTEGER,
    "current_wins" INTEGER,
    "current_losses" INTEGER,
    "is_tracked" BOOLEAN NOT NULL DEFAULT false,
    "is_analyzed" BOOLEAN NOT NULL DEFAULT false,
    "is_flagged" BOOLEAN NOT NULL DEFAULT false,
    "account_status" TEXT NOT NULL DEFAULT 'active',
    "tracked_at" TIMESTAMPTZ(6),
    "discovered_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_updated" TIMESTAMPTZ(6),
    "last_match_at" TIMESTAMPTZ(6),
    "last_ban_check" TIMESTAMPTZ(6),
    "last_analyzed_at" TIMESTAMPTZ(6),
    CONSTRAINT "players_pkey" PRIMARY KEY ("puuid"),
    CONSTRAINT "players_platform_check" CHECK ("platform" IN ('euw1', 'eun1', 'tr1', 'ru', 'me1', 'na1', 'br1', 'la1', 'la2', 'kr', 'jp1', 'oc1', 'ph2', 'sg2', 'th2', 'tw2', 'vn2')),
    CONSTRAINT "players_account_status_check" CHECK ("account_status" IN ('active', 'renamed', 'not_found', 'no_lol_profile', 'inactive'))
);

-- The updater picks tracked players least recently updated first.
CREATE INDEX "players_tracked_last_updated_idx" ON "players" ("last_updated" NULLS FIRST) WHERE "is_tracked";
-- The analyzer picks unanalyzed players, oldest discovery first.
CREATE INDEX "players_unanalyzed_discovered_at_idx" ON "players" ("discovered_at") WHERE NOT "is_analyzed";
-- Ban checks revisit flagged players whose last check is old.
CREATE INDEX "players_flagged_last_ban_check_idx" ON "players" ("last_ban_check" NULLS FIRST) WHERE "is_flagged";
CREATE INDEX "players_platform_idx" ON "players" ("platform");
CREATE INDEX "players_riot_id_idx" ON "players" ("riot_id");

CREATE TABLE "matches" (
    "match_id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "queue_id" INTEGER NOT NULL,
    "game_mode" TEXT,
    "game_type" TEXT,
    "game_version" TEXT,
    "map_id" INTEGER,
    "game_creation" TIMESTAMPTZ(6) NOT NULL,
    "game_start" TIMESTAMPTZ(6) NOT NULL,
    "game_end" TIMESTAMPTZ(6),
    "game_duration_seconds" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "matches_pkey" PRIMARY KEY ("match_id"),
    CONSTRAINT "matches_duration_check" CHECK ("game_duration_seconds" >= 0)
);

CREATE INDEX "matches_game_start_idx" ON "matches" ("game_start");
CREATE INDEX "matches_queue_game_start_idx" ON "matches" ("queue_id", "game_start");

CREATE TABLE "match_participants" (
    "match_id" TEXT NOT NULL,
    "puuid" TEXT NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "team_id" INTEGER NOT NULL,
    "win" BOOLEAN NOT NULL,
    "champion_id" INTEGER NOT NULL,
    "champion_name" TEXT NOT NULL,
    "team_position" TEXT,
    "individual_position" TEXT,
    "role" TEXT,
    "lane" TEXT,
    "kills" INTEGER NOT NULL,
    "deaths" INTEGER NOT NULL,
    "assists" INTEGER NOT NULL,
    "total_minions_killed" INTEGER NOT NULL,
    "neutral_minions_killed" INTEGER NOT NULL,
    "gold_earned" INTEGER NOT NULL,
    "total_damage_dealt_to_champions" INTEGER NOT NULL,
    "vision_score" INTEGER NOT NULL,
    "champ_level" INTEGER NOT NULL,
    "summoner_level" INTEGER,
    "riot_id_game_name" TEXT,
    "riot_id_tagline" TEXT,
    "placement" INTEGER,
    CONSTRAINT "match_participants_pkey" PRIMARY KEY ("match_id", "puuid"),
    CONSTRAINT "match_participants_match_id_fkey" FOREIGN KEY ("match_id") REFERENCES "matches" ("match_id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "match_participants_puuid_fkey" FOREIGN KEY ("puuid") REFERENCES "players" ("puuid") ON DELETE CASCADE ON UPDATE CASCADE
);

-- A player's match history (detection, GraphQL) goes through puuid.
CREATE INDEX "match_participants_puuid_idx" ON "match_participants" ("puuid");

CREATE TABLE "rank_snapshots" (
    "id" SERIAL NOT NULL,
    "puuid" TEXT NOT NULL,
    "queue_type" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "rank" TEXT NOT NULL,
    "league_points" INTEGER NOT NULL,
    "wins" INTEGER NOT NULL,
    "losses" INTEGER NOT NULL,
    "captured_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rank_snapshots_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "rank_snapshots_puuid_fkey" FOREIGN KEY ("puuid") REFERENCES "players" ("puuid") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "rank_snapshots_puuid_queue_captured_idx" ON "rank_snapshots" ("puuid", "queue_type", "captured_at");

CREATE TABLE "player_analyses" (
    "id" SERIAL NOT NULL,
    "puuid" TEXT NOT NULL,
    "algorithm_version" TEXT NOT NULL,
    "smurf_score" DOUBLE PRECISION,
    "smurf_confidence" TEXT NOT NULL,
    "smurf_factors" JSONB NOT NULL DEFAULT '[]',
    "boosted_score" DOUBLE PRECISION,
    "boosted_factors" JSONB NOT NULL DEFAULT '[]',
    "games_analyzed" INTEGER NOT NULL,
    "is_flagged" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "player_analyses_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "player_analyses_puuid_fkey" FOREIGN KEY ("puuid") REFERENCES "players" ("puuid") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "player_analyses_confidence_check" CHECK ("smurf_confidence" IN ('high', 'medium', 'low', 'none', 'insufficient_data')),
    CONSTRAINT "player_analyses_scores_check" CHECK (("smurf_score" IS NULL OR "smurf_score" BETWEEN 0 AND 1) AND ("boosted_score" IS NULL OR "boosted_score" BETWEEN 0 AND 1))
);

CREATE INDEX "player_analyses_puuid_created_idx" ON "player_analyses" ("puuid", "created_at");

CREATE TABLE "account_status_events" (
    "id" SERIAL NOT NULL,
    "puuid" TEXT NOT NULL,
    "previous_status" TEXT,
    "status" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "detected_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "account_status_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "account_status_events_puuid_fkey" FOREIGN KEY ("puuid") REFERENCES "players" ("puuid") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "account_status_events_status_check" CHECK ("status" IN ('active', 'renamed', 'not_found', 'no_lol_profile', 'inactive'))
);

CREATE INDEX "account_status_events_puuid_detected_idx" ON "account_status_events" ("puuid", "detected_at");

CREATE TABLE "job_configurations" (
    "id" SERIAL NOT NULL,
    "job_type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "schedule" TEXT,
    "config_json" JSONB NOT NULL DEFAULT '{}',
    "config_error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "job_configurations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "job_configurations_job_type_check" CHECK ("job_type" IN ('tracked_player_updater', 'player_analyzer', 'execution_retention')),
    CONSTRAINT "job_configurations_config_json_check" CHECK (jsonb_typeof("config_json") = 'object')
);

CREATE UNIQUE INDEX "job_configurations_name_key" ON "job_configurations" ("name");
CREATE INDEX "job_configurations_job_type_idx" ON "job_configurations" ("job_type");

CREATE TABLE "job_executions" (
    "id" SERIAL NOT NULL,
    "job_config_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "completed_at" TIMESTAMPTZ(6),
    "heartbeat_at" TIMESTAMPTZ(6),
    "worker_id" TEXT,
    "api_requests_made" INTEGER NOT NULL DEFAULT 0,
    "records_created" INTEGER NOT NULL DEFAULT 0,
    "records_updated" INTEGER NOT NULL DEFAULT 0,
    "error_message" TEXT,
    "progress" JSONB,
    "execution_log" JSONB NOT NULL DEFAULT '[]',
    CONSTRAINT "job_executions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "job_executions_job_config_id_fkey" FOREIGN KEY ("job_config_id") REFERENCES "job_configurations" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "job_executions_status_check" CHECK ("status" IN ('pending', 'running', 'success', 'failed', 'cancelled')),
    CONSTRAINT "job_executions_trigger_check" CHECK ("trigger" IN ('schedule', 'manual'))
);

CREATE INDEX "job_executions_config_started_idx" ON "job_executions" ("job_config_id", "started_at");
CREATE INDEX "job_executions_started_at_idx" ON "job_executions" ("started_at");
CREATE INDEX "job_executions_status_idx" ON "job_executions" ("status");
-- At most one running execution per configuration, whichever process runs it.
CREATE UNIQUE INDEX "job_executions_one_running_per_config" ON "job_executions" ("job_config_id") WHERE "status" = 'running';

-- updated_at follows every change, including the runbook's raw UPDATE statements.
CREATE FUNCTION "riftwatch_touch_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."updated_at" := CURRENT_TIMESTAMP;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "job_configurations_touch_updated_at"
BEFORE UPDATE ON "job_configurations"
FOR EACH ROW EXECUTE FUNCTION "riftwatch_touch_updated_at"();

-- Schedulers LISTEN on this channel so an edit made by SQL, GraphQL or the CLI applies at once.
CREATE FUNCTION "riftwatch_notify_job_configuration"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('riftwatch_job_configurations', COALESCE(NEW."id", OLD."id")::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "job_configurations_notify"
AFTER INSERT OR UPDATE OR DELETE ON "job_configurations"
FOR EACH ROW EXECUTE FUNCTION "riftwatch_notify_job_configuration"();

-- TRUNCATE (the runbook's reset) fires no row trigger; notify for it as a whole.
CREATE FUNCTION "riftwatch_notify_job_configurations_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('riftwatch_job_configurations', '*');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "job_configurations_notify_truncate"
AFTER TRUNCATE ON "job_configurations"
FOR EACH STATEMENT EXECUTE FUNCTION "riftwatch_notify_job_configurations_truncate"();

-- The runbook's job configurations, created once. Operators' later edits are never overwritten:
-- this migration runs a single time per database.
INSERT INTO "job_configurations" ("job_type", "name", "is_active", "schedule", "config_json") VALUES
  ('tracked_player_updater', 'Tracked Player Updater', true, NULL, '{"max_new_matches_per_player": 20, "max_tracked_players": 10}'),
  ('player_analyzer', 'Player Analyzer', true, NULL, '{"unanalyzed_players_per_run": 15, "min_smurf_confidence": 0.5, "ban_check_days": 7}'),
  ('execution_retention', 'Job Execution Retention', true, '0 3 * * *', '{}');
