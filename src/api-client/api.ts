import * as doc from './documents.ts';
import { ApiError, dataOf, type GraphQLResponse, payloadOf } from './errors.ts';
import { parseSince } from './since.ts';
import type {
  Execution,
  ExecutionStatus,
  Job,
  JobTypeStats,
  Page,
  Player,
  StatusOverview,
} from './types.ts';

/** Runs one GraphQL document (over HTTP for the CLI, in-process through Yoga for REST). */
export type Execute = (
  document: string,
  variables?: Record<string, unknown>,
) => Promise<GraphQLResponse>;

export type ExecutionFilter = {
  job?: string | undefined;
  status?: string | undefined;
  since?: string | undefined;
  limit?: number | undefined;
  after?: string | undefined;
};

export type PlayerFilter = {
  tracked?: boolean | undefined;
  flagged?: boolean | undefined;
  analyzed?: boolean | undefined;
  platform?: string | undefined;
  search?: string | undefined;
  limit?: number | undefined;
  after?: string | undefined;
};

export type TrackRequest =
  | { puuid: string; platform?: string }
  | { riotId: string; platform?: string };

type Connection<T> = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
};

/** A job type such as `tracked_player_updater` (global IDs are base64 and start upper-case). */
const JOB_TYPE_LIKE = /^[a-z][a-z0-9_]*$/;

const pageOf = <K extends string, T>(key: K, c: Connection<T>) =>
  ({
    [key]: c.edges.map((e) => e.node),
    totalCount: c.totalCount,
    nextCursor: c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null,
  }) as Page<K, T>;

/**
 * The operations the REST paths and the CLI offer, each one GraphQL document (two when a job is
 * named by its type). The answers are the documents' selections, unchanged, under a stable key.
 */
export function createApi(execute: Execute) {
  const query = async (document: string, variables: Record<string, unknown> = {}) =>
    dataOf(await execute(document, variables));

  const listJobs = async () => ({ jobs: (await query(doc.JOBS)).jobs as Job[] });

  const noJob = (ref: string) =>
    new ApiError('NOT_FOUND', `No job with id, type or name ${JSON.stringify(ref)}`);

  /** A job id (number or global ID) as is; a job type or name becomes its id. */
  async function jobIdOf(ref: string): Promise<string> {
    const trimmed = ref.trim();
    if (/^\d+$/.test(trimmed) || !/^[\w -]+$/.test(trimmed)) return trimmed;
    const { jobs } = await listJobs();
    const found = jobs.find(
      (j) => j.jobType === trimmed || j.name.toLowerCase() === trimmed.toLowerCase(),
    );
    if (found) return String(found.databaseId);
    if (JOB_TYPE_LIKE.test(trimmed) || trimmed.includes(' ')) throw noJob(trimmed);
    return trimmed;
  }

  /**
   * jobIdOf, checked: a filter on a job that does not exist would match nothing rather than be
   * refused, as mutations on it are.
   */
  async function existingJobIdOf(ref: string): Promise<string> {
    const id = await jobIdOf(ref);
    // Found by type or name: it exists.
    if (id !== ref.trim()) return id;
    if (!(await query(doc.JOB_BY_ID, { id })).job) throw noJob(id);
    return id;
  }

  return {
    listJobs,

    async getJob(ref: string) {
      const job = (await query(doc.JOB_BY_ID, { id: await jobIdOf(ref) })).job as Job | null;
      if (!job) throw new ApiError('NOT_FOUND', `No job with id ${JSON.stringify(ref)}`);
      return { job };
    },

    async triggerJob(ref: string) {
      const data = await query(doc.TRIGGER_JOB, { id: await jobIdOf(ref) });
      const { execution } = payloadOf<{ execution: Execution }>(data.triggerJob);
      return { executionId: execution.databaseId, execution };
    },

    async configureJob(
      ref: string,
      input: {
        isActive?: boolean;
        schedule?: string | null;
        config?: Record<string, unknown>;
        mode?: 'MERGE' | 'REPLACE';
      },
    ) {
      const data = await query(doc.CONFIGURE_JOB, {
        input: { ...input, jobId: await jobIdOf(ref) },
      });
      return payloadOf<{ job: Job }>(data.configureJob);
    },

    async cancelExecution(id: string) {
      const data = await query(doc.CANCEL_EXECUTION, { id });
      return payloadOf<{ execution: Execution; previousStatus: ExecutionStatus }>(
        data.cancelExecution,
      );
    },

    async listExecutions(filter: ExecutionFilter = {}) {
      const data = await query(doc.EXECUTIONS, {
        jobId: filter.job === undefined ? null : await existingJobIdOf(filter.job),
        status: filter.status ?? null,
        since: filter.since === undefined ? null : parseSince(filter.since),
        first: filter.limit ?? 20,
        after: filter.after ?? null,
      });
      return pageOf('executions', data.jobExecutions as Connection<Execution>);
    },

    async getExecution(id: string) {
      const execution = (await query(doc.EXECUTION_BY_ID, { id })).jobExecution as Execution | null;
      if (!execution) throw new ApiError('NOT_FOUND', `No execution with id ${JSON.stringify(id)}`);
      return { execution };
    },

    async jobStats(since?: string) {
      const from = parseSince(since ?? '24h');
      const stats = (await query(doc.JOB_STATS, { since: from })).jobStats as JobTypeStats[];
      return { since: from, stats };
    },

    statusOverview: async () => (await query(doc.STATUS_OVERVIEW)).statusOverview as StatusOverview,

    trackedPlayers: async () => ({
      players: (await query(doc.TRACKED_PLAYERS)).trackedPlayers as Player[],
    }),

    async listPlayers(filter: PlayerFilter = {}) {
      const { limit, ...rest } = filter;
      const data = await query(doc.PLAYERS, { ...rest, first: limit ?? 50 });
      return pageOf('players', data.players as Connection<Player>);
    },

    async getPlayer(puuid: string) {
      const player = (await query(doc.PLAYER_BY_PUUID, { puuid })).player as Player | null;
      if (!player) throw new ApiError('NOT_FOUND', `No player with PUUID ${JSON.stringify(puuid)}`);
      return { player };
    },

    async trackPlayer(request: TrackRequest) {
      const data = await query(doc.TRACK_PLAYER, { input: request });
      return payloadOf<{ player: Player }>(data.trackPlayer);
    },

    async untrackPlayer(puuid: string) {
      const data = await query(doc.UNTRACK_PLAYER, { puuid });
      return payloadOf<{ player: Player }>(data.untrackPlayer);
    },
  };
}

export type Api = ReturnType<typeof createApi>;
