// `npm run build [-- --out-dir <dir>]`: compiles src/ to JavaScript in dist/ (or <dir>) for
// `node dist/main.js`, no tsx needed. tsc rewrites the `./x.ts` imports to `./x.js`
// (rewriteRelativeImportExtensions), Prisma's generated client included. Data files that the code
// reads next to itself (the simulator's match template) are copied alongside. The migrations stay
// in prisma/migrations, found from dist/db/ as from src/db/: keep dist/ at the project's root. The
// dashboard's browser bundle is built too, next to dist/ in build/dashboard/ (the server looks for
// it in ../../build/dashboard from dist/http/, as from src/http/); its sources stay out of dist/.
// The project's files are found from this script, wherever it is run from; <dir> is read from
// the current folder.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { checkOutDir, isDashboardBuild, isServerBuild, parseOptions, root } from './out-dir.mjs';

const SCRIPT = 'npm run build';
const values = parseOptions(SCRIPT, {
  'out-dir': { type: 'string', default: join(root, 'dist') },
});
const outDir = resolve(values['out-dir']);
const dashboardDir = join(outDir, '..', 'build', 'dashboard');
const shown = (dir) => relative(process.cwd(), dir) || '.';

// Both folders are emptied: both are checked before anything is.
checkOutDir(SCRIPT, outDir, `--out-dir ${JSON.stringify(values['out-dir'])}`, isServerBuild);
checkOutDir(
  SCRIPT,
  dashboardDir,
  `the dashboard's folder ${shown(dashboardDir)} (../build/dashboard from --out-dir)`,
  isDashboardBuild,
);

await rm(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
  stdio: 'inherit',
});
const sources = join(root, 'src');
const dashboardSources = join(sources, 'dashboard');
await cp(sources, outDir, {
  recursive: true,
  filter: (source) =>
    !source.endsWith('.ts') &&
    source !== dashboardSources &&
    !source.startsWith(`${dashboardSources}${sep}`),
});
execFileSync(
  process.execPath,
  [join(root, 'scripts', 'build-dashboard.mjs'), '--out-dir', dashboardDir],
  { stdio: 'inherit' },
);
// It runs where prisma/migrations and node_modules sit next to it (as in the project).
const beside = dirname(outDir);
const missing = ['prisma/migrations', 'node_modules'].filter((p) => !existsSync(join(beside, p)));
console.log(
  missing.length === 0
    ? `Built ${shown(outDir)}/ (run: node ${shown(outDir)}/main.js)`
    : `Built ${shown(outDir)}/; to run it, put ${missing.join(' and ')} in ${beside}/, then: node ${outDir}/main.js`,
);
