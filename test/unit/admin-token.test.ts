import { expect, test } from 'vitest';
import { adminTokenProblem } from '../../src/admin-token.ts';

test('an admin token is visible ASCII without spaces; a refusal names the characters, not the token', () => {
  expect(adminTokenProblem('s3cr3t-T0k_en!~')).toBeNull();
  expect(adminTokenProblem('')).toMatch(/empty/);
  const twoWords = adminTokenProblem('correct horse');
  expect(twoWords).toMatch(/U\+0020/);
  expect(twoWords).not.toMatch(/horse/);
  expect(adminTokenProblem('tökén')).toMatch(/“ö”, “é”/);
  expect(adminTokenProblem('tab\there')).toMatch(/U\+0009/);
  expect(adminTokenProblem('a\u00a0b')).toMatch(/U\+00A0/);
});
