// `npm run build:dashboard [-- --out-dir <dir>] [--if-present]`: bundles the dashboard's client
// (src/dashboard/) with esbuild into build/dashboard/: app-<hash>.js, styles-<hash>.css and an
// index.html naming them. Content-hashed names let the server cache them forever. Run by
// `postinstall` and `npm run build`; the output is never committed. `--if-present` skips quietly
// when the sources are not there yet (the Dockerfile installs dependencies before copying src/).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkOutDir, isDashboardBuild, parseOptions, root } from './out-dir.mjs';

const SCRIPT = 'npm run build:dashboard';
const source = join(root, 'src', 'dashboard');
const values = parseOptions(SCRIPT, {
  'out-dir': { type: 'string', default: join(root, 'build', 'dashboard') },
  'if-present': { type: 'boolean', default: false },
});
const outDir = resolve(values['out-dir']);

if (!existsSync(join(source, 'main.ts'))) {
  if (values['if-present']) {
    console.log('Dashboard sources not present yet: bundle not built');
    process.exit(0);
  }
  throw new Error(`No dashboard sources at ${source}`);
}

checkOutDir(SCRIPT, outDir, `--out-dir ${JSON.stringify(values['out-dir'])}`, isDashboardBuild);
const { build } = await import('esbuild');
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
const result = await build({
  entryPoints: { app: join(source, 'main.ts'), styles: join(source, 'styles.css') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome111', 'firefox111', 'safari16.4'],
  outdir: outDir,
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  tsconfig: join(source, 'tsconfig.json'),
});

const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
const named = (prefix, ext) => {
  const found = outputs.find((file) => file.startsWith(`${prefix}-`) && file.endsWith(ext));
  if (!found) throw new Error(`esbuild wrote no ${prefix}-*${ext}`);
  return found;
};
const assets = { 'app.js': named('app', '.js'), 'styles.css': named('styles', '.css') };

let html = await readFile(join(source, 'index.html'), 'utf8');
for (const [plain, hashed] of Object.entries(assets)) {
  const reference = `/dashboard/${plain}`;
  if (!html.includes(reference)) throw new Error(`index.html does not reference ${reference}`);
  html = html.replace(reference, `/dashboard/${hashed}`);
}
await writeFile(join(outDir, 'index.html'), html);

const sizes = await Promise.all(
  Object.values(assets).map(async (file) => {
    const bytes = (await stat(join(outDir, file))).size;
    const gzipped = gzipSync(await readFile(join(outDir, file))).length;
    return `${file} ${(bytes / 1024).toFixed(1)} KB (gzip ${(gzipped / 1024).toFixed(1)} KB)`;
  }),
);
console.log(`Built ${relative(process.cwd(), outDir) || '.'}/: ${sizes.join(', ')}`);
