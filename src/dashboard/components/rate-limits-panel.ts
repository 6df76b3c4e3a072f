import { html } from 'htm/preact';
import { secondsLeft, useTick } from '../clock.ts';
import { pure } from '../pure.ts';
import type { RateLimitState } from '../state.ts';
import type { RateLimit, RateLimitWindow } from '../types.ts';
import { Empty } from './empty.ts';

/** Where the gauge draws its line: past it, a window is close to making Riot answer 429. */
export const WARNING_PERCENT = 90;

function Gauge({ routing, window: w }: { routing: string; window: RateLimitWindow }) {
  const scope = w.scope === 'app' ? 'App' : w.scope;
  const label = `${scope}: ${w.limit} per ${w.windowSeconds} s`;
  const hot = w.percentage >= WARNING_PERCENT;
  return html`<div class="gauge">
    <div class="gauge-label">
      <span>${label}</span>
      <span class=${hot ? 'error' : ''}>${w.used} / ${w.limit} (${Math.round(w.percentage)} %)</span>
    </div>
    <div
      class=${`gauge-track${hot ? ' hot' : ''}`}
      role="meter"
      aria-label=${`${routing} ${label}`}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${Math.round(w.percentage)}
      aria-valuetext=${`${Math.round(w.percentage)} % used`}
    >
      <div class="gauge-fill" style=${{ width: `${Math.min(100, w.percentage)}%` }}></div>
      <div class="gauge-line" style=${{ left: `${WARNING_PERCENT}%` }} title="90 %"></div>
    </div>
  </div>`;
}

/** The app windows, and the busiest method window (each method has its own, mostly idle). */
function shown(usage: RateLimit): RateLimitWindow[] {
  const app = usage.windows.filter((w) => w.scope === 'app');
  const busiest = usage.windows
    .filter((w) => w.scope !== 'app')
    .sort((a, b) => b.percentage - a.percentage)[0];
  return busiest ? [...app, busiest] : app;
}

function RateLimits({ rateLimits, loaded }: { rateLimits: RateLimitState[]; loaded: boolean }) {
  const now = Date.now();
  // A countdown ticks each second while it shows; nothing ticks otherwise.
  useTick(
    1000,
    rateLimits.some((usage) => secondsLeft(usage.blockedUntil, now) > 0),
  );
  return html`<section class="panel" aria-labelledby="limits-title">
    <h2 id="limits-title">Riot API budget</h2>
    <p class="sub">Share of each rate-limit window in use, per routing value; the line marks ${WARNING_PERCENT} %.</p>
    ${
      rateLimits.length === 0
        ? html`<${Empty} loaded=${loaded}>No Riot request yet.</${Empty}>`
        : rateLimits.map((usage) => {
            const blocked = secondsLeft(usage.blockedUntil, now);
            return html`<div class="routing" key=${usage.routing} data-routing=${usage.routing}>
              <h3>${usage.routing}</h3>
              ${shown(usage).map((w) => html`<${Gauge} key=${`${w.scope}-${w.windowSeconds}`} routing=${usage.routing} window=${w} />`)}
              ${(usage.queued ?? 0) > 0 && html`<p class="sub">${usage.queued} requests waiting for a slot</p>`}
              ${blocked > 0 && html`<p class="error" data-blocked>Blocked by a 429 for ${blocked} s more</p>`}
            </div>`;
          })
    }
  </section>`;
}

export const RateLimitsPanel = pure(RateLimits);
