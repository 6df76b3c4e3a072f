-- At most one queued scheduled run per configuration: follow-up runs (the analyzer after each
-- updater run) are inserted with ON CONFLICT DO NOTHING against this index, so updaters ending
-- together in several processes queue one analyzer run.
CREATE UNIQUE INDEX "job_executions_one_pending_schedule_per_config" ON "job_executions" ("job_config_id") WHERE "status" = 'pending' AND "trigger" = 'schedule';
