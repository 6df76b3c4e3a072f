import type { GraphiQLOptions } from 'graphql-yoga';

const TRACK = `# Needs the admin token: add {"Authorization": "Bearer <ADMIN_TOKEN>"} in Headers
# (not needed from this machine when no ADMIN_TOKEN is configured).
mutation TrackPlayer {
  trackPlayer(input: { riotId: "Faker#KR1", platform: "kr" }) {
    __typename
    ... on PlayerPayload { player { puuid riotId platform isTracked rank { tier division leaguePoints } } }
    ... on Error { code message }
  }
}`;

const TRIGGER = `# 1. Trigger a job (needs the admin token); note the execution id it returns.
mutation TriggerJob {
  triggerJob(input: { jobId: "1" }) {
    __typename
    ... on ExecutionPayload { execution { id databaseId status jobName } }
    ... on Error { code message }
  }
}

# 2. Run this with the id from step 1: the current state first, then every change, to the end.
subscription WatchProgress {
  jobProgress(executionId: "1") {
    status phase processed total apiRequestsMade recordsCreated errorMessage at
  }
}`;

const STATUS = `query StatusOverview {
  statusOverview {
    at
    scheduler { enabled workerId }
    jobs { id databaseId name jobType isActive scheduleDescription nextRunAt lastRun { status completedAt } }
    runningExecutions { id jobName progress { phase processed total } }
    rateLimits { routing windows { scope used limit windowSeconds percentage } }
  }
  jobStats { jobType totalExecutions successRate avgDurationSeconds avgApiRequests maxApiRequests }
}`;

/** GraphiQL served from the package (no CDN): subscriptions over graphql-ws, example tabs. */
export const graphiqlOptions: GraphiQLOptions = {
  title: 'riftwatch GraphQL',
  subscriptionsProtocol: 'WS',
  defaultTabs: [{ query: STATUS }, { query: TRACK }, { query: TRIGGER }],
};
