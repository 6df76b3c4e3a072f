// `npm run build [-- --out-dir <dir>]`: compiles src/ to JavaScript in dist/ (or <dir>) for
// `node dist/main.js`, no tsx needed. tsc rewrites the `./x.ts` imports to `./x.js`
// (rewriteRelativeImportExtensions), Prisma's generated client included. Data files that the code
// reads next to itself (the simulator's match template) are copied alongside. The migrations stay
// in prisma/migrations, found from dist/db/ as from src/db/: keep dist/ at the project's root. The
// dashboard's browser bundle is built too, next to dist/ in build/dashboard/ (the server looks for
// it in ../../build/dashboard from dist/http/, as from src/http/); its sources stay out of dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = relative(process.cwd(), resolve(values['out-dir'])) || '.';

/** The folder is emptied first: only one of the project's own, and only an earlier build. */
function refuse(reason) {
  console.error(`npm run build: --out-dir ${JSON.stringify(values['out-dir'])} ${reason}`);
  process.exit(2);
}
const SOURCES = ['.', 'src', 'prisma', 'node_modules', 'scripts', 'bin', 'test', 'bench', 'build'];
if (SOURCES.includes(outDir) || outDir.startsWith('.git')) refuse('is part of the project');
if (existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(join(outDir, 'main.js'))) {
  refuse('holds something other than an earlier build: it is not replaced');
}

await rm(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], {
  stdio: 'inherit',
});
await cp('src', outDir, {
  recursive: true,
  filter: (source) => !source.endsWith('.ts') && !source.startsWith(join('src', 'dashboard')),
});
const dashboardDir = join(outDir, '..', 'build', 'dashboard');
execFileSync(process.execPath, ['scripts/build-dashboard.mjs', '--out-dir', dashboardDir], {
  stdio: 'inherit',
});
// It runs where prisma/migrations and node_modules sit next to it (as in the project).
const beside = dirname(resolve(outDir));
const missing = ['prisma/migrations', 'node_modules'].filter((p) => !existsSync(join(beside, p)));
console.log(
  missing.length === 0
    ? `Built ${outDir}/ (run: node ${outDir}/main.js)`
    : `Built ${outDir}/; to run it, put ${missing.join(' and ')} in ${beside}/, then: node ${resolve(outDir)}/main.js`,
);
