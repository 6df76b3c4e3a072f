import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';

/** A link to a page the dashboard does not have (mistyped, or from another version). */
export function NotFound({ hash }: { hash: string }) {
  useEffect(() => {
    document.title = 'Not found · riftwatch';
  }, []);
  return html`<div class="notice">
    <h1>No such page</h1>
    <p>The dashboard has no page at <code class="long-text">${hash}</code>.</p>
    <p><a href="#/">← Back to the overview</a></p>
  </div>`;
}
