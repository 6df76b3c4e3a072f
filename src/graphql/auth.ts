import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a caller may not run mutations: a stable code clients can branch on. */
export type UnauthenticatedReason = 'NO_TOKEN_CONFIGURED' | 'TOKEN_REQUIRED' | 'TOKEN_INVALID';

export type Refusal = { reason: UnauthenticatedReason; message: string };

export type Caller = {
  /** May run mutations. */
  isAdmin: boolean;
  /** Why not, when not (the UNAUTHENTICATED error). */
  refusal: Refusal;
  /** Whose mutation budget a request spends: the token holder's, or the client address's. */
  key: string;
};

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * How a request on loopback may have come from elsewhere: a web page that is not riftwatch's own
 * sent it (see isCrossSite), or a reverse proxy on this machine relayed it (see PROXY_HEADERS).
 */
export type Relay = 'cross-site' | 'proxy';

/**
 * Headers a reverse proxy adds. A request carrying one reached loopback through a proxy that
 * anyone who can reach the proxy may use, so without a token it does not count as local.
 */
export const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

const NOT_LOCAL: Record<Relay | 'remote', string> = {
  remote: 'No ADMIN_TOKEN is configured: mutations are accepted from loopback only',
  'cross-site':
    'No ADMIN_TOKEN is configured: mutations are accepted on loopback only, addressed to localhost or 127.0.0.1 and not from another origin',
  proxy:
    'No ADMIN_TOKEN is configured: mutations are accepted from loopback only, not through a proxy (this request carries Forwarded, X-Forwarded-For or X-Real-IP)',
};

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Decides who a request comes from. With ADMIN_TOKEN set, mutations need it as a bearer token;
 * without one, they are allowed from loopback only. Hashing first makes both sides the same
 * length, so timingSafeEqual compares in constant time whatever the caller sends.
 */
export function createAdminAuth(options: { adminToken: string | undefined }) {
  const expected = options.adminToken ? digest(options.adminToken) : null;
  return {
    tokenConfigured: expected !== null,
    /**
     * `relay`: how a request on loopback may have come from elsewhere. Without a token such a
     * request must not count as local: any web page the operator opens could otherwise post
     * mutations, or open a WebSocket, to 127.0.0.1, and anyone who reaches a proxy in front of
     * riftwatch could use it.
     */
    identify(
      credential: string | null,
      address: string | null,
      relay: Relay | null = null,
    ): Caller {
      const addressKey = `address:${address ?? 'unknown'}`;
      if (!expected) {
        const local = address !== null && LOOPBACK.has(address) && relay === null;
        return {
          isAdmin: local,
          key: addressKey,
          refusal: { reason: 'NO_TOKEN_CONFIGURED', message: NOT_LOCAL[relay ?? 'remote'] },
        };
      }
      const valid = credential !== null && timingSafeEqual(digest(credential), expected);
      return {
        isAdmin: valid,
        // A wrong token must not buy a fresh budget: it spends the address's.
        key: valid ? 'admin' : addressKey,
        refusal:
          credential === null
            ? {
                reason: 'TOKEN_REQUIRED',
                message:
                  'This operation needs the admin token (Authorization: Bearer <ADMIN_TOKEN>)',
              }
            : { reason: 'TOKEN_INVALID', message: 'The admin token is not valid' },
      };
    },
  };
}

export type AdminAuth = ReturnType<typeof createAdminAuth>;

/** The token in `Bearer <token>` (scheme case-insensitive); null when absent or malformed. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** graphql-ws connectionParams: `{ authorization: 'Bearer …' }` or `{ token: '…' }`. */
export function connectionParamsToken(params: Readonly<Record<string, unknown>> | undefined) {
  if (!params) return null;
  const header = params.authorization ?? params.Authorization;
  if (typeof header === 'string') return bearerToken(header);
  return typeof params.token === 'string' && params.token !== '' ? params.token : null;
}

/** A Host or Origin host name that only this machine can mean. */
function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

function hostnameOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/**
 * True when a request on loopback may come from a web page that is not riftwatch's own: its
 * Origin names another host (cross-site request forgery), or its Host or Origin is not a
 * loopback name (DNS rebinding: a page of attacker.example whose name now resolves to
 * 127.0.0.1 sends Host and Origin attacker.example, which agree with each other). A client that
 * sends neither header is no browser.
 */
export function isCrossSite(origin: string | null | undefined, host: string | null | undefined) {
  if (host) {
    const hostname = hostnameOf(`http://${host}`);
    if (hostname === null || !isLoopbackName(hostname)) return true;
  }
  if (!origin) return false;
  const hostname = hostnameOf(origin);
  if (hostname === null || !isLoopbackName(hostname)) return true;
  return new URL(origin).host !== (host ?? '');
}
