import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api, Connection } from '../graphql.ts';

const LABELS: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

export function Header({ api }: { api: Api }) {
  const [connection, setConnection] = useState(api.connection());
  useEffect(() => {
    // The state may have changed between the first render and this effect.
    setConnection(api.connection());
    return api.onConnection(setConnection);
  }, [api]);
  return html`<header class="top">
    <a class="brand" href="#/">riftwatch</a>
    <nav aria-label="API and metrics">
      <a href="/graphql">GraphQL</a>
      <a href="/docs">REST</a>
      <a href="/metrics">Metrics</a>
    </nav>
    <span class=${`connection connection-${connection}`} role="status" data-connection=${connection}>
      ${LABELS[connection]}
    </span>
  </header>`;
}
