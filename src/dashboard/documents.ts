// The GraphQL the dashboard sends: snapshots over HTTP, live parts over graphql-ws.
import { MAX_EXECUTIONS, MAX_FLAGGED, TRACKED_PAGE_SIZE } from './state.ts';

const JOB = `id name jobType isActive schedule scheduleDescription configError nextRunAt
  lastRun { executionId status startedAt completedAt }`;

const EXECUTION = `id databaseId jobId jobName status trigger createdAt startedAt durationSeconds
  apiRequestsMade recordsCreated recordsUpdated errorMessage`;

const RATE_LIMIT = `routing queued blockedForSeconds
  windows { scope used limit percentage windowSeconds }`;

const FACTOR = 'name score weight explanation';

const ANALYSIS = `createdAt gamesAnalyzed isFlagged smurfScore smurfConfidence boostedScore
  smurfFactors { ${FACTOR} } boostedFactors { ${FACTOR} }`;

const PLAYER_NAME = 'puuid riotId platform';

const RANK = 'rank { tier division leaguePoints }';

const PLAYER_ROW = `${PLAYER_NAME} isFlagged lastUpdated ${RANK}`;

/** A flagged player: the name, and the analysis that flagged them. */
const FLAGGED = `${PLAYER_NAME} analyses(limit: 1) { ${ANALYSIS} }`;

/** The page size of the tracked players, with its default (other callers send none). */
const FIRST = `$first: Int = ${TRACKED_PAGE_SIZE}`;

/** A page of tracked players (there may be thousands): `$first` of them, after `$after`. */
const TRACKED = (after: string) => `tracked: players(tracked: true, first: $first${after}) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { ${PLAYER_ROW} } }
}`;

const PLAYER_LISTS = `${TRACKED('')}
  recentlyFlaggedPlayers(limit: ${MAX_FLAGGED}) { ${FLAGGED} }`;

export const OVERVIEW = `query DashboardOverview(${FIRST}) {
  statusOverview { scheduler { enabled } rateLimits { ${RATE_LIMIT} } }
  jobs { ${JOB} }
  jobExecutions(first: ${MAX_EXECUTIONS}) { edges { node { ${EXECUTION} } } }
  queued: jobExecutions(status: pending, first: 100) { edges { node { id } } }
  running: jobExecutions(status: running, first: 100) { edges { node { id } } }
  ${PLAYER_LISTS}
}`;

export const JOBS = `query DashboardJobs { jobs { ${JOB} } }`;

export const EXECUTION_BY_ID = `query DashboardExecution($id: ID!) {
  jobExecution(id: $id) { ${EXECUTION} }
}`;

export const PLAYERS = `query DashboardPlayers(${FIRST}) { ${PLAYER_LISTS} }`;

export const TRACKED_PLAYERS = `query DashboardTracked(${FIRST}, $after: String!) {
  ${TRACKED(', after: $after')}
}`;

export const PLAYER_PAGE = `query DashboardPlayer($puuid: String!) {
  player(puuid: $puuid) {
    ${PLAYER_NAME} isFlagged isTracked accountStatus summonerLevel ${RANK}
    rankHistory(limit: 20) { capturedAt queueType tier division leaguePoints wins losses }
    matches(first: 20) {
      edges { node {
        championName kills deaths assists kda win creepScore teamPosition
        match { matchId gameStart durationSeconds queueId }
      } }
    }
    analyses(limit: 5) { ${ANALYSIS} }
  }
}`;

export const TRIGGER_JOB = `mutation DashboardTrigger($jobId: ID!) {
  triggerJob(input: { jobId: $jobId }) {
    __typename
    ... on ExecutionPayload { execution { ${EXECUTION} } }
    ... on Error { code message }
    ... on UnauthenticatedError { reason }
  }
}`;

export const EXECUTION_STATUS_CHANGED = `subscription DashboardStatus {
  executionStatusChanged { executionId status errorMessage }
}`;

export const JOB_PROGRESS = `subscription DashboardProgress {
  jobProgress {
    executionId jobType status phase processed total
    apiRequestsMade recordsCreated recordsUpdated
  }
}`;

export const RATE_LIMIT_USAGE = `subscription DashboardRateLimits {
  rateLimitUsage { ${RATE_LIMIT} }
}`;

export const PLAYER_FLAGGED = `subscription DashboardFlagged {
  playerFlagged { puuid player { ${FLAGGED} } }
}`;
