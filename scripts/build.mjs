// `npm run build [-- --out-dir <dir>]`: compiles src/ to JavaScript in dist/ (or <dir>) for
// `node dist/main.js`, no tsx needed. tsc rewrites the `./x.ts` imports to `./x.js`
// (rewriteRelativeImportExtensions), Prisma's generated client included. Data files that the code
// reads next to itself (the simulator's match template) are copied alongside. The migrations stay
// in prisma/migrations, found from dist/db/ as from src/db/: keep dist/ at the project's root. The
// dashboard's browser bundle is built too, next to dist/ in build/dashboard/ (the server looks for
// it in ../../build/dashboard from dist/http/, as from src/http/); its sources stay out of dist/.
import { execFileSync } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = values['out-dir'];

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
console.log(`Built ${outDir}/ (run: node ${outDir}/main.js)`);
