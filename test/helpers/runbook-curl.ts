import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { RUNBOOK_PATH } from './runbook.ts';

/** Every `curl …` command line of the runbook's bash blocks, verbatim. */
export function runbookCurls(text = readFileSync(RUNBOOK_PATH, 'utf8')): string[] {
  return [...text.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) =>
    (m[1] as string)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('curl ')),
  );
}

/** The one runbook curl command matching `pattern`. */
export function runbookCurl(pattern: RegExp): string {
  const found = runbookCurls().filter((c) => pattern.test(c));
  if (found.length !== 1) throw new Error(`${found.length} runbook curl commands match ${pattern}`);
  return found[0] as string;
}

/** The runbook's commands by what they do. */
export const RUNBOOK = {
  listJobs: () => runbookCurl(/\/api\/v1\/jobs$/),
  trigger: () => runbookCurl(/\{job_id\}\/trigger$/),
  overview: () => runbookCurl(/status\/overview$/),
  track: () => runbookCurl(/-X POST \S+\/players\/\{puuid\}\/track$/),
  trackExample: () => runbookCurl(/abc123/),
  untrack: () => runbookCurl(/-X DELETE \S+\/players\/\{puuid\}\/track$/),
  tracked: () => runbookCurl(/players\/tracked$/),
};

export type CurlResult = {
  status: number;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions over untyped JSON
  json: any;
  text: string;
};

/**
 * Runs a runbook command line with the real `curl`: the port substituted, `{placeholders}`
 * replaced, `extra` arguments (headers) appended; `-s -i` added to read status and headers.
 */
export function curl(
  command: string,
  port: number,
  values: Record<string, string> = {},
  extra: string[] = [],
): Promise<CurlResult> {
  let line = command.replace('localhost:8000', `localhost:${port}`);
  for (const [name, value] of Object.entries(values)) line = line.replaceAll(`{${name}}`, value);
  const [program, ...args] = line.split(/\s+/);
  if (program !== 'curl' || args.some((a) => /["'$`\\]/.test(a))) {
    throw new Error(`not a plain curl command: ${command}`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn('curl', [...args, ...extra, '-s', '-i'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`curl exited ${code}: ${err}`));
      const split = out.indexOf('\r\n\r\n');
      const [statusLine, ...headerLines] = out.slice(0, split).split('\r\n');
      const text = out.slice(split + 4);
      const headers = Object.fromEntries(
        headerLines.map((h) => [
          h.slice(0, h.indexOf(':')).toLowerCase(),
          h.slice(h.indexOf(':') + 1).trim(),
        ]),
      );
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(statusLine?.split(' ')[1]), headers, json, text });
    });
  });
}
