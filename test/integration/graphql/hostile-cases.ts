import type { TestDatabase } from '../../helpers/database.ts';
import { ALICE } from './seed.ts';

/** Everything a mutation could change, to compare before and after a hostile request. */
export async function mutableState(db: TestDatabase) {
  const tables = [
    'SELECT puuid, is_tracked, is_analyzed, tracked_at FROM players ORDER BY puuid',
    'SELECT id, is_active, schedule, config_json, updated_at FROM job_configurations ORDER BY id',
    'SELECT id, status, error_message FROM job_executions ORDER BY id',
  ];
  return Promise.all(tables.map(async (sql) => (await db.sql(sql)).rows));
}

/** Hostile inputs: each must give a typed error (`code`) and change nothing. */
export type HostileCase = {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  code: string;
  /** `raw`: the body is sent as is (for size limits). */
  raw?: string;
  /** The HTTP status, where it tells one refusal from another. */
  status?: number;
};

const track = (input: Record<string, unknown>) => ({
  query: `mutation($i: TrackPlayerInput!) { trackPlayer(input: $i) { __typename ... on Error { code message } } }`,
  variables: { i: input },
});
const configure = (input: Record<string, unknown>) => ({
  query: `mutation($i: ConfigureJobInput!) { configureJob(input: $i) { __typename ... on Error { code message } } }`,
  variables: { i: { jobId: '1', ...input } },
});
const trigger = (jobId: unknown) => ({
  query: `mutation($id: ID!) { triggerJob(input: { jobId: $id }) { __typename ... on Error { code message } } }`,
  variables: { id: jobId },
});
const VALID = 'V'.repeat(78);
const b64 = (text: string) => Buffer.from(text).toString('base64');
const I = 'INVALID_INPUT';

export const HOSTILE: HostileCase[] = [
  { name: 'PUUID too short', ...track({ puuid: 'abc' }), code: I },
  { name: 'PUUID with a bad character', ...track({ puuid: `${'A'.repeat(77)}!` }), code: I },
  { name: 'PUUID of 300 characters', ...track({ puuid: 'A'.repeat(300) }), code: I },
  { name: 'PUUID of the wrong type', ...track({ puuid: 12345 }), code: I },
  { name: 'Riot ID without #', ...track({ riotId: 'NoHash', platform: 'euw1' }), code: I },
  { name: 'Riot ID without a name', ...track({ riotId: '#EUW', platform: 'euw1' }), code: I },
  {
    name: 'Riot ID with a 1-character tag',
    ...track({ riotId: 'Name#E', platform: 'euw1' }),
    code: I,
  },
  {
    name: 'Riot ID with a control character',
    ...track({ riotId: 'Na\u0000me#EUW', platform: 'euw1' }),
    code: I,
  },
  {
    name: 'Riot ID with half of a surrogate pair',
    ...track({ riotId: 'Ab\ud800#EUW', platform: 'euw1' }),
    code: I,
  },
  {
    name: 'Riot ID name over 16 characters',
    ...track({ riotId: 'ThisNameIsWayTooLong#EUW', platform: 'euw1' }),
    code: I,
  },
  { name: 'Riot ID without a platform', ...track({ riotId: 'Name#EUW' }), code: I },
  {
    name: 'PUUID and Riot ID together',
    ...track({ puuid: VALID, riotId: 'Name#EUW', platform: 'euw1' }),
    code: I,
  },
  { name: 'empty track input', ...track({}), code: I },
  { name: 'gameName without tagLine', ...track({ gameName: 'Name', platform: 'euw1' }), code: I },
  { name: 'unknown platform', ...track({ puuid: VALID, platform: 'mars' }), code: I },
  {
    name: 'untrack a malformed PUUID',
    query: 'mutation { untrackPlayer(input: { puuid: "x" }) { __typename ... on Error { code } } }',
    code: I,
  },
  {
    name: 'untrack an unknown player',
    query: `mutation { untrackPlayer(input: { puuid: "${VALID}" }) { __typename ... on Error { code } } }`,
    code: 'NOT_FOUND',
  },
  { name: 'trigger an unknown job', ...trigger('999'), code: 'NOT_FOUND' },
  { name: 'trigger a non-id', ...trigger('abc'), code: I },
  {
    name: "trigger a Player's global ID",
    ...trigger(Buffer.from(`Player:${VALID}`).toString('base64')),
    code: I,
  },
  { name: 'trigger a negative id', ...trigger('-1'), code: I },
  { name: 'trigger an id past Int', ...trigger('99999999999'), code: I },
  { name: 'schedule in words', ...configure({ schedule: 'every blue moon' }), code: I },
  { name: 'schedule of 0 seconds', ...configure({ schedule: '0' }), code: I },
  { name: 'cron minute 61', ...configure({ schedule: '61 * * * *' }), code: I },
  {
    name: 'config value of the wrong type',
    ...configure({ config: { sleep_ms: 'slow' } }),
    code: I,
  },
  { name: 'config integer as a fraction', ...configure({ config: { steps: 1.5 } }), code: I },
  { name: 'config as an array', ...configure({ config: [1, 2] }), code: I },
  { name: 'config text with U+0000', ...configure({ config: { fail_with: 'a\u0000b' } }), code: I },
  {
    name: 'config key of half a surrogate pair',
    ...configure({ config: { nested: [{ '\ud800': 1 }] } }),
    code: I,
  },
  { name: 'config as a string', ...configure({ config: 'x' }), code: I },
  { name: 'isActive of the wrong type', ...configure({ isActive: 'yes' }), code: I },
  {
    name: 'configure an unknown job',
    ...configure({ jobId: '424242', isActive: false }),
    code: 'NOT_FOUND',
  },
  {
    name: 'cancel an unknown execution',
    query:
      'mutation { cancelExecution(input: { executionId: "777777" }) { __typename ... on Error { code } } }',
    code: 'NOT_FOUND',
  },
  {
    name: 'emergency operation without confirm',
    query:
      'mutation { disableAllJobs(input: { confirm: false }) { __typename ... on Error { code } } }',
    code: I,
  },
  {
    name: 'reset without confirm',
    query:
      'mutation { resetJobState(input: { confirm: false }) { __typename ... on Error { code } } }',
    code: I,
  },
  { name: 'negative page size', query: '{ players(first: -5) { edges { cursor } } }', code: I },
  { name: 'huge page size', query: '{ players(first: 100000) { edges { cursor } } }', code: I },
  { name: 'negative last', query: '{ jobExecutions(last: -1) { edges { cursor } } }', code: I },
  { name: 'forged cursor', query: '{ players(after: "garbage") { edges { cursor } } }', code: I },
  // A well-formed cursor holding a number, read by the direct path and by Prisma (a relation).
  {
    name: 'numeric cursor',
    query: '{ players(after: "R1BDOk46NQ==") { edges { cursor } } }',
    code: I,
  },
  {
    name: 'numeric cursor with a relation selected',
    query: '{ players(after: "R1BDOk46NQ==") { edges { node { analyses { smurfScore } } } } }',
    code: I,
  },
  {
    name: 'unknown platform filter',
    query: '{ players(platform: "xx") { edges { cursor } } }',
    code: I,
  },
  { name: 'empty search', query: '{ players(search: " ") { edges { cursor } } }', code: I },
  {
    name: 'search of 500 characters',
    query: `{ players(search: "${'a'.repeat(500)}") { edges { cursor } } }`,
    code: I,
  },
  { name: 'player by a malformed PUUID', query: '{ player(puuid: "x") { puuid } }', code: I },
  { name: 'execution by a non-id', query: '{ jobExecution(id: "abc") { id } }', code: I },
  {
    name: 'executions of a non-id job',
    query: '{ jobExecutions(jobId: "zz") { edges { cursor } } }',
    code: I,
  },
  {
    name: 'jobStats since a non-date',
    query: '{ jobStats(since: "yesterday") { jobType } }',
    code: I,
  },
  {
    name: 'history limit 0',
    query: `{ player(puuid: "${VALID}") { rankHistory(limit: 0) { tier } } }`,
    code: I,
  },
  {
    name: 'query 20 levels deep',
    query: `{ __type(name: "Query") { fields { type { ${'ofType { '.repeat(16)}name${' }'.repeat(16)} } } } }`,
    code: I,
  },
  {
    name: '20 aliases',
    query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: jobs { name }`).join(' ')} }`,
    code: I,
  },
  {
    name: '20 aliased triggers',
    query: `mutation { ${Array.from({ length: 20 }, (_, i) => `t${i}: triggerJob(input: { jobId: "1" }) { __typename }`).join(' ')} }`,
    code: I,
  },
  { name: '3000 tokens', query: `{ jobs { ${'name '.repeat(3000)}} }`, code: I },
  { name: '30 directives', query: `{ jobs { name ${'@include(if: true) '.repeat(30)}} }`, code: I },
  {
    name: 'nested pages of 100 × 100',
    query:
      '{ players(first: 100) { edges { node { matches(first: 100) { edges { node { kills deaths assists } } } } } } }',
    code: I,
  },
  {
    name: 'a forged execution cursor',
    query: `{ jobExecutions(first: 1, after: "${b64('GPC:S:abc')}") { edges { cursor } } }`,
    code: I,
  },
  {
    name: 'a forged match cursor',
    query: `{ player(puuid: "${ALICE}") { matches(first: 1, after: "${b64('GPC:J:[1,2]')}") { edges { cursor } } } }`,
    code: I,
  },
  {
    name: 'job stats since year 0',
    query: '{ jobStats(since: "0000-01-01T00:00:00Z") { jobType } }',
    code: I,
  },
  {
    name: 'executions since a time before year 1 UTC',
    query: '{ jobExecutions(first: 1, since: "0001-01-01T00:00:00+01:00") { totalCount } }',
    code: I,
  },
  {
    name: 'a match cursor with U+0000',
    query: `{ player(puuid: "${ALICE}") { matches(first: 1, after: "${b64('GPC:T:["S:EUW1_1\\u0000","S:x"]')}") { edges { cursor } } } }`,
    code: I,
  },
  {
    name: 'a player cursor with U+0000',
    query: `{ players(first: 1, after: "${b64('GPC:S:a\u0000b')}") { edges { cursor } } }`,
    code: I,
  },
  {
    name: 'node id of a malformed PUUID',
    query: `{ node(id: "${b64('Player:x')}") { id } }`,
    code: I,
  },
  {
    name: 'node id of an execution that is no number',
    query: `{ node(id: "${b64('JobExecution:abc')}") { id } }`,
    code: I,
  },
  {
    name: 'node id of an execution beyond int4',
    query: `{ node(id: "${b64('JobExecution:99999999999999')}") { id } }`,
    code: I,
  },
  {
    name: 'node id of a job that is no number',
    query: `{ node(id: "${b64('Job:abc')}") { id } }`,
    code: I,
  },
  {
    name: 'node id of a job that is a fraction',
    query: `{ node(id: "${b64('Job:1.5')}") { id } }`,
    code: I,
  },
  {
    name: 'node id of a type that has none',
    query: `{ node(id: "${b64('Foo:1')}") { id } }`,
    code: I,
  },
  {
    name: 'search with U+0000',
    query: '{ players(search: "a\\u0000b") { totalCount } }',
    code: I,
  },
  {
    name: 'rank history queue type with U+0000',
    query: `{ player(puuid: "${ALICE}") { rankHistory(queueType: "a\\u0000b") { tier } } }`,
    code: I,
  },
  {
    name: 'a 300 KB document',
    query: '',
    raw: JSON.stringify({ query: `{ jobs { name } } #${'x'.repeat(300_000)}` }),
    code: I,
    // Too large, not merely without a declared length (411).
    status: 413,
  },
];
