#!/usr/bin/env node
// The `riftwatch` command (package.json `bin`): Node 20 cannot run TypeScript by itself, so the
// CLI's sources load through tsx's loader, in this same process (signals and exit codes intact).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
