import { useEffect, useState } from 'preact/hooks';

export type Route = { page: 'overview' } | { page: 'player'; puuid: string };

/** `#/player/<puuid>` is a player's page; anything else (a mangled link too) the overview. */
export function parseRoute(hash: string): Route {
  const match = /^#\/player\/([^/]+)$/.exec(hash);
  if (!match?.[1]) return { page: 'overview' };
  try {
    return { page: 'player', puuid: decodeURIComponent(match[1]) };
  } catch {
    return { page: 'overview' };
  }
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
