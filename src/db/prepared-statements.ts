import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { SqlReader } from './prisma.ts';

/** Distinct statement texts given a name; any beyond are sent unnamed, so memory stays bounded. */
const MAX_NAMED = 200;

/**
 * `sql` with each statement sent as a named (prepared) one: on each connection the server parses
 * a text once and may reuse its plan after (bench/graphql.ts reads a page both ways).
 * The name comes from the text, so readers on the same pool never give one name two texts. A
 * selection's columns vary with the query, so only the first MAX_NAMED texts are named.
 */
export function preparedStatements(sql: SqlReader): SqlReader {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED) {
      name = `rw_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
  const query = (config: string | pg.QueryConfig, values?: unknown[]) => {
    const statement = typeof config === 'string' ? { text: config, values } : { ...config };
    if (values !== undefined) statement.values = values;
    statement.name ??= nameOf(statement.text);
    return sql.query(statement);
  };
  return { query } as SqlReader;
}
