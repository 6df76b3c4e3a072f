#!/usr/bin/env node
// The `riftwatch` command (package.json `bin`). In a checkout, the CLI's TypeScript sources load
// through tsx's loader, in this same process (signals and exit codes intact): Node 20 cannot run
// TypeScript by itself. Where tsx is not installed (the production image: no dev dependencies),
// the compiled CLI of `npm run build` runs instead.
const tsx = await import('tsx/esm/api').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND') return null;
  throw error;
});
let cli;
if (tsx) {
  tsx.register();
  cli = await import('../src/cli/main.ts');
} else {
  cli = await import('../dist/cli/main.js');
}
await cli.main(process.argv);
