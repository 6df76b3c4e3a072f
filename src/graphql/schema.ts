import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import './schema/root.ts';
import './schema/scalars.ts';
import './schema/errors.ts';
import './schema/enums.ts';
import './schema/players.ts';
import './schema/matches.ts';
import './schema/player-history.ts';
import './schema/player-mutations.ts';
import './schema/jobs.ts';
import './schema/executions.ts';
import './schema/job-mutations.ts';
import './schema/emergency.ts';
import './schema/rate-limits.ts';
import './schema/status.ts';
import './schema/subscriptions.ts';

/** The whole API, sorted so the printed `schema.graphql` is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
