import { readFileSync } from 'node:fs';

export const RUNBOOK_PATH = 'docs/job-operations-runbook.md';

/**
 * Every SQL statement of the runbook, verbatim: the ```sql blocks and the `psql -c "…"` commands,
 * split on `;`, with `--` comment lines dropped.
 */
export function runbookStatements(text = readFileSync(RUNBOOK_PATH, 'utf8')): string[] {
  const blocks = [
    ...[...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1] as string),
    ...[...text.matchAll(/psql [^\n]*-c "\n([\s\S]*?)"/g)].map((m) => m[1] as string),
  ];
  return blocks.flatMap((block) =>
    block
      .split('\n')
      .filter((line) => !line.trim().startsWith('--'))
      .join('\n')
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );
}

/** The runbook statement equal to `fragment`, else the only one containing it. */
export function runbookStatement(statements: string[], fragment: string): string {
  if (statements.includes(fragment)) return fragment;
  const found = statements.filter((s) => s.includes(fragment));
  if (found.length !== 1) throw new Error(`${found.length} runbook statements contain ${fragment}`);
  return found[0] as string;
}
