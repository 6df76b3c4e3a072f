/**
 * What an admin token may hold: visible ASCII, no spaces. Every client sends such a token byte
 * for byte, as `Authorization: Bearer <token>` or in a WebSocket's connectionParams. The server
 * reads a bearer token up to the first space, and a character beyond ASCII goes out as Latin-1
 * from browsers and Node but as UTF-8 from curl, so the same token would match for one client
 * and not another. Shared by the server's configuration, the CLI and the dashboard.
 */
const OUTSIDE = /[^\x21-\x7e]/gu;

/** A character named so a message can show it: a space or control character by its code. */
const shown = (c: string) =>
  /[\s\p{Cc}]/u.test(c)
    ? `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
    : `“${c}”`;

/**
 * Why `token` cannot serve as the admin token, naming the characters at fault (never the token
 * itself, which may end up in a log), or null when it can.
 */
export function adminTokenProblem(token: string): string | null {
  if (token === '') return 'The admin token is empty';
  const bad = [...new Set(token.match(OUTSIDE) ?? [])];
  if (bad.length === 0) return null;
  return `The admin token cannot hold ${bad.map(shown).join(', ')}: only ASCII letters, digits and punctuation, without spaces`;
}
