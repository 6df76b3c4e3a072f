// The GraphQL documents behind the REST paths and the CLI: both run these against /graphql, so
// what they return is what the schema says (see schema.graphql for every field).

const JOB = `fragment JobFields on Job {
  id databaseId name jobType isActive schedule scheduleDescription config configError nextRunAt
  runningExecutionId lastRun { executionId status trigger startedAt completedAt errorMessage }
}`;

const EXECUTION = `fragment ExecutionFields on JobExecution {
  id databaseId jobId jobName jobType status trigger createdAt startedAt completedAt
  durationSeconds apiRequestsMade recordsCreated recordsUpdated errorMessage workerId
  progress { phase processed total updatedAt }
}`;

const PLAYER = `fragment PlayerFields on Player {
  id puuid riotId gameName tagLine platform summonerLevel accountStatus isTracked isAnalyzed
  isFlagged trackedAt lastUpdated lastMatchAt lastAnalyzedAt
  rank { tier division leaguePoints wins losses }
}`;

const ERROR = `fragment ErrorFields on Error {
  __typename code message
  ... on InputValidationError { issues { path message } }
}`;

const USAGE = `fragment UsageFields on RateLimitUsage {
  routing queued blockedForSeconds at windows { scope used limit windowSeconds percentage }
}`;

export const JOBS = `query Jobs { jobs { ...JobFields } }\n${JOB}`;

export const JOB_BY_ID = `query Job($id: ID!) { job(id: $id) { ...JobFields } }\n${JOB}`;

export const TRIGGER_JOB = `mutation TriggerJob($id: ID!) {
  triggerJob(input: { jobId: $id }) {
    __typename ... on ExecutionPayload { execution { ...ExecutionFields } } ...ErrorFields
  }
}\n${EXECUTION}\n${ERROR}`;

export const CONFIGURE_JOB = `mutation ConfigureJob($input: ConfigureJobInput!) {
  configureJob(input: $input) { __typename ... on JobPayload { job { ...JobFields } } ...ErrorFields }
}\n${JOB}\n${ERROR}`;

export const CANCEL_EXECUTION = `mutation CancelExecution($id: ID!) {
  cancelExecution(input: { executionId: $id }) {
    __typename
    ... on ExecutionPayload { previousStatus execution { ...ExecutionFields } }
    ...ErrorFields
  }
}\n${EXECUTION}\n${ERROR}`;

export const EXECUTIONS = `query Executions($jobId: ID, $status: ExecutionStatus, $since: DateTime,
  $first: Int, $after: String) {
  jobExecutions(jobId: $jobId, status: $status, since: $since, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ...ExecutionFields } }
  }
}\n${EXECUTION}`;

export const EXECUTION_BY_ID = `query Execution($id: ID!) {
  jobExecution(id: $id) { ...ExecutionFields heartbeatAt log { item error at } }
}\n${EXECUTION}`;

export const JOB_STATS = `query JobStats($since: DateTime) {
  jobStats(since: $since) {
    jobType totalExecutions successful failed successRate avgDurationSeconds avgApiRequests
    maxApiRequests
  }
}`;

export const STATUS_OVERVIEW = `query StatusOverview {
  statusOverview {
    at scheduler { enabled workerId } jobs { ...JobFields }
    runningExecutions { ...ExecutionFields } rateLimits { ...UsageFields }
  }
}\n${JOB}\n${EXECUTION}\n${USAGE}`;

export const TRACKED_PLAYERS = `query TrackedPlayers { trackedPlayers { ...PlayerFields } }\n${PLAYER}`;

export const PLAYERS = `query Players($tracked: Boolean, $flagged: Boolean, $analyzed: Boolean,
  $platform: String, $search: String, $first: Int, $after: String) {
  players(tracked: $tracked, flagged: $flagged, analyzed: $analyzed, platform: $platform,
    search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ...PlayerFields } }
  }
}\n${PLAYER}`;

export const PLAYER_BY_PUUID = `query Player($puuid: String!) {
  player(puuid: $puuid) { ...PlayerFields }
}\n${PLAYER}`;

export const TRACK_PLAYER = `mutation TrackPlayer($input: TrackPlayerInput!) {
  trackPlayer(input: $input) { __typename ... on PlayerPayload { player { ...PlayerFields } } ...ErrorFields }
}\n${PLAYER}\n${ERROR}`;

export const UNTRACK_PLAYER = `mutation UntrackPlayer($puuid: String!) {
  untrackPlayer(input: { puuid: $puuid }) {
    __typename ... on PlayerPayload { player { ...PlayerFields } } ...ErrorFields
  }
}\n${PLAYER}\n${ERROR}`;

const PROGRESS_FIELDS = `executionId jobId jobType status phase processed total apiRequestsMade
  recordsCreated recordsUpdated errorMessage at`;

/** One execution's state, current first, ending after its final status. */
export const EXECUTION_PROGRESS = `subscription ExecutionProgress($id: ID!) {
  jobProgress(executionId: $id) { ${PROGRESS_FIELDS} }
}`;

/** Every execution's changes (what is queued or running now first). */
export const ALL_PROGRESS = `subscription AllProgress { jobProgress { ${PROGRESS_FIELDS} } }`;

export const RATE_LIMIT_USAGE = `subscription RateLimitUsage { rateLimitUsage { ...UsageFields } }\n${USAGE}`;
