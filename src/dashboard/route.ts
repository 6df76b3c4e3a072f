import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'overview' }
  | { page: 'player'; puuid: string }
  | { page: 'notFound'; hash: string };

/**
 * `#/player/<puuid>` is a player's page (a trailing slash, or `PLAYER`, mistyped, still is), no
 * hash the overview; anything else (a mangled link too) is no page, said as such.
 */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  if (path === '') return { page: 'overview' };
  const match = /^\/player\/([^/]+)$/i.exec(path);
  if (match?.[1]) {
    try {
      return { page: 'player', puuid: decodeURIComponent(match[1]) };
    } catch {
      // A broken %-escape: no such page.
    }
  }
  return { page: 'notFound', hash };
}

export const playerHref = (puuid: string) => `#/player/${encodeURIComponent(puuid)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => {
      setRoute(parseRoute(location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
