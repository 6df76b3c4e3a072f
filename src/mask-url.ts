// `scheme://user:` wherever a URL starts in a text, and the password up to the `@` that ends the
// user info: the last `@` before the path, else the last one before a space, else the last one at
// all (a password may hold an unescaped `/`, or a space in a value that is one URL; masking too
// much is the safe side).
const USERINFO_PASSWORD =
  /(?<![a-z\d+.-])([a-z][a-z\d+.-]*:\/\/[^\s:/?#@]*:)(?:[^\s/?#]*|\S*|.*)@/gis;

// libpq and MongoDB also take the password as a query parameter.
const PASSWORD_PARAM = /([?&]password=)[^&#]*/gi;

/** Whether the URL starting `text` (up to a space) parses, without a password. */
function isUrlWithoutPassword(text: string): boolean {
  const url = text.split(/\s/, 1)[0] ?? '';
  return URL.canParse(url) && new URL(url).password === '';
}

/**
 * A URL as it may be shown in a message: `postgresql://riot:***@db/riot`. Masks every URL in a
 * text too, and text that does not parse as a URL, since that is what error messages echo.
 */
export function maskUrlPassword(text: string): string {
  return text
    .replace(PASSWORD_PARAM, '$1***')
    .replace(USERINFO_PASSWORD, (match, userinfo: string, offset: number, masked: string) =>
      // An `@` in the path or query of a URL without a password is not user info.
      isUrlWithoutPassword(masked.slice(offset)) ? match : `${userinfo}***@`,
    );
}
