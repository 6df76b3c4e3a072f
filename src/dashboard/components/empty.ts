import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';

/**
 * A panel with nothing to list: what that means once the overview is read, else that it is not
 * known yet (an empty list before then is no news).
 */
export function Empty({ loaded, children }: { loaded: boolean; children: ComponentChildren }) {
  return html`<p class="muted">${loaded ? children : 'Not loaded yet.'}</p>`;
}
