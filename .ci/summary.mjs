// Adds up vitest JSON reports into the plain line CI reads last: "N passed, N failed" (the skipped
// count goes on the line before). Arguments: `report.json:exitCode` per vitest run. A missing
// report, a file that failed outside its tests (a beforeAll or afterAll hook that threw: its tests
// show as skipped or passed), or a run that exited non-zero with no failed test (unhandled errors)
// counts as a failure: nothing passes silently.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const arg of process.argv.slice(2)) {
  const [file, exitCode = '0'] = arg.split(':');
  if (!existsSync(file)) {
    console.log(`no report at ${file}`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  const brokenFiles = report.testResults.filter(
    (r) => r.status === 'failed' && !r.assertionResults.some((a) => a.status === 'failed'),
  );
  for (const r of brokenFiles)
    console.log(`${r.name}: failed outside its tests (${r.message || 'a hook'})`);
  const failedHere = report.numFailedTests + brokenFiles.length;
  if (failedHere === 0 && exitCode !== '0') {
    console.log(`${file}: vitest exited ${exitCode} with no failed test (unhandled errors?)`);
    failed += 1;
  }
  failed += failedHere;
}
console.log(`\n${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
