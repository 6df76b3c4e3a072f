// Where a URL starts in a text: a scheme, not the tail of a longer word.
const URL_START = /(?<![a-z\d+.-])[a-z][a-z\d+.-]*:\/\//gi;

// `scheme://user:` and the password up to the `@` that ends the user info: the last `@` before the
// path, else the last one before a space, else the last one at all (a password may hold an
// unescaped `/`, or a space in a value that is one URL; masking too much is the safe side).
const USERINFO_PASSWORD = /^([a-z][a-z\d+.-]*:\/\/[^\s:/?#@]*:)(?:[^\s/?#]*|\S*|.*)@/is;

// libpq and MongoDB also take the password as a query parameter.
const PASSWORD_PARAM = /([?&]password=)[^&#]*/gi;

/** One URL and the text after it, up to where the next URL starts. */
function maskFirstUrl(text: string): string {
  // An `@` in the path or query of a URL without a password is not user info.
  const url = text.split(/\s/, 1)[0] ?? '';
  if (URL.canParse(url) && new URL(url).password === '') return text;
  return text.replace(USERINFO_PASSWORD, '$1***@');
}

/**
 * A URL as it may be shown in a message: `postgresql://riot:***@db/riot`. Masks every URL in a
 * text too, and text that does not parse as a URL, since that is what error messages echo. Each
 * URL is masked on its own: one without a password leaves the next one's to be masked.
 */
export function maskUrlPassword(text: string): string {
  const masked = text.replace(PASSWORD_PARAM, '$1***');
  const starts = [...masked.matchAll(URL_START)].map((match) => match.index);
  if (starts.length === 0) return masked;
  const urls = starts.map((start, i) => maskFirstUrl(masked.slice(start, starts[i + 1])));
  return masked.slice(0, starts[0]) + urls.join('');
}
