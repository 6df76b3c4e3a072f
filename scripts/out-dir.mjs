// What the build scripts share: the project's root (found from here, wherever they are run
// from), their command line, and the checks made before an output folder is emptied.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** A mistake on the command line or in a folder given: one line, exit 2, no stack. */
export function fail(script, message) {
  console.error(`${script}: ${message}`);
  process.exit(2);
}

export function parseOptions(script, options) {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    fail(script, error.message);
  }
}

/** Folders of the project that no build output may be, or be inside of. */
const OWN = [
  'src',
  'prisma',
  'node_modules',
  'scripts',
  'bin',
  'test',
  'bench',
  'docs',
  'optional',
];

const inside = (dir, folder) => dir === folder || dir.startsWith(`${folder}${sep}`);

/** Whether `dir` is the project's root or a folder above it. */
function holdsProject(dir) {
  const down = relative(dir, root);
  return !down.startsWith('..') && !isAbsolute(down);
}

/**
 * Exits unless the folder `dir` (absolute) may be emptied and written by a build: none of the
 * project's own (nor one holding the project), not a file, and empty, absent or holding an
 * earlier build (`isEarlierBuild`). `named` names it in the messages.
 */
export function checkOutDir(script, dir, named, isEarlierBuild) {
  const fromRoot = relative(root, dir);
  if (holdsProject(dir)) fail(script, `${named} holds the project`);
  const own =
    // build/ holds the dashboard's bundle: it may not be a build itself.
    fromRoot === 'build' ||
    OWN.some((folder) => inside(fromRoot, folder)) ||
    fromRoot.startsWith('.git');
  if (own) fail(script, `${named} is part of the project`);
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) fail(script, `${named} is a file, not a folder`);
  if (readdirSync(dir).length > 0 && !isEarlierBuild(dir)) {
    fail(script, `${named} holds something other than an earlier build: it is not replaced`);
  }
}

export const isServerBuild = (dir) => existsSync(join(dir, 'main.js'));

export const isDashboardBuild = (dir) =>
  existsSync(join(dir, 'index.html')) && readdirSync(dir).some((f) => /^app-.+\.js$/.test(f));
