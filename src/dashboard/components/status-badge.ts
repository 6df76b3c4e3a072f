import { html } from 'htm/preact';
import type { ExecutionStatus } from '../types.ts';

export function StatusBadge({ status }: { status: ExecutionStatus }) {
  return html`<span class=${`status status-${status}`}>${status}</span>`;
}
