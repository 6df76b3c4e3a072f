// `scheme://user:` and the password up to the `@` that ends the user info: the last `@` before the
// path when there is one there, else the last one at all (a password may hold an unescaped `/`;
// masking too much is the safe side).
const USERINFO_PASSWORD = /^(\s*[a-z][a-z\d+.-]*:\/\/[^:/?#@]*:)(?:[^/?#]*|.*)@/is;

// libpq and MongoDB also take the password as a query parameter.
const PASSWORD_PARAM = /([?&]password=)[^&#]*/gi;

/**
 * A URL as it may be shown in a message: `postgresql://riot:***@db/riot`. Works on text that does
 * not parse as a URL too, since that is what error messages echo.
 */
export function maskUrlPassword(text: string): string {
  const masked = text.replace(PASSWORD_PARAM, '$1***');
  // An `@` in the path or query of a URL without a password is not user info. (URL ignores the
  // spaces around a URL; the pattern allows them too.)
  if (URL.canParse(text) && new URL(text).password === '') return masked;
  return masked.replace(USERINFO_PASSWORD, '$1***@');
}
