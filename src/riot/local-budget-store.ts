import {
  allowanceOf,
  type BudgetContext,
  type BudgetStore,
  type BudgetUsage,
  type Settlement,
  shareOf,
} from './budget-store.ts';
import { serviceOf } from './endpoints.ts';
import type { CountWindow, LimitWindow } from './rate-limit-headers.ts';
import { windowUsage } from './rate-limiter-usage.ts';
import { RequestLog, type Reservation } from './request-log.ts';

type Scope = {
  /** Riot's limits as last learned; null until known (method scopes start unknown). */
  raw: LimitWindow[] | null;
  /** The share of them this process uses. */
  windows: LimitWindow[] | null;
  log: RequestLog;
  blockedUntil: number;
};

/** `services`: when each service's 429 block ends. */
type RoutingState = { app: Scope; methods: Map<string, Scope>; services: Map<string, number> };

type LocalTicket = {
  state: RoutingState;
  scope: Scope;
  service: string;
  reservations: Reservation[];
};

/** The budget of one process: a sliding log per routing value and per routing value + method. */
export function createLocalBudgetStore(context: BudgetContext): BudgetStore<LocalTicket> {
  const { clock, scale, marginMs, share } = context;
  const states = new Map<string, RoutingState>();
  // Limits are per key, so what one routing value taught us is the best guess for a new one.
  let learnedAppLimits: LimitWindow[] | null = null;

  const windowMs = (w: { windowSeconds: number }) => w.windowSeconds * 1000 * scale;

  const newScope = (raw: LimitWindow[] | null): Scope => ({
    raw,
    windows: raw && shareOf(raw, share),
    log: new RequestLog(),
    blockedUntil: 0,
  });

  function stateFor(routing: string): RoutingState {
    let state = states.get(routing);
    if (!state) {
      state = {
        app: newScope([...(learnedAppLimits ?? context.defaultAppLimits)]),
        methods: new Map(),
        services: new Map(),
      };
      states.set(routing, state);
    }
    return state;
  }

  function methodScope(state: RoutingState, method: string): Scope {
    let scope = state.methods.get(method);
    if (!scope) {
      scope = newScope(null);
      state.methods.set(method, scope);
    }
    return scope;
  }

  function learn(scope: Scope, raw: LimitWindow[]): void {
    scope.raw = raw;
    scope.windows = shareOf(raw, share);
  }

  function freeAt(scope: Scope, now: number): number {
    const at = Math.max(now, scope.blockedUntil);
    // Method limits are unknown until the first answer: probe with one request at a time.
    if (scope.windows === null) return scope.log.pending() > 0 ? Number.POSITIVE_INFINITY : at;
    return scope.windows.reduce(
      (latest, w) => Math.max(latest, scope.log.freeAt(w.limit, windowMs(w), marginMs, now)),
      at,
    );
  }

  // Phantoms all count from now: past their window's limit they fill it no further, and a count
  // of 10^20 must not become as many entries.
  function phantomCap(scope: Scope, c: CountWindow): number {
    const raw = scope.raw ?? [];
    return (
      raw.find((w) => w.windowSeconds === c.windowSeconds)?.limit ??
      Math.max(0, ...raw.map((w) => w.limit))
    );
  }

  // Riot counted this request's window at its arrival, which was after `sentAt`: everything it can
  // have counted is still in our log as of `sentAt`, so only a surplus over that is unknown to us.
  function reconcile(scope: Scope, counts: CountWindow[] | null, sentAt: number, now: number) {
    if (!counts || !scope.windows) return;
    for (const c of counts) {
      const known = scope.log.count(windowMs(c), marginMs, sentAt);
      const expected = known + allowanceOf(scope.raw, c.windowSeconds, share);
      if (c.count > expected)
        scope.log.addPhantom(now, Math.min(c.count - expected, phantomCap(scope, c)));
    }
  }

  const usageOf = (scope: Scope, now: number) =>
    (scope.windows ?? []).map((w) => windowUsage(w, scope.log.count(windowMs(w), marginMs, now)));

  return {
    reserve(routing, method) {
      const now = clock.now();
      const state = stateFor(routing);
      const appFree = freeAt(state.app, now);
      if (appFree > now) return { granted: false, scope: 'app', waitMs: appFree - now };
      const scope = methodScope(state, method);
      const service = serviceOf(method);
      const methodFree = Math.max(freeAt(scope, now), state.services.get(service) ?? 0);
      if (methodFree > now) return { granted: false, scope: 'method', waitMs: methodFree - now };
      const reservations = [state.app.log.reserve(now), scope.log.reserve(now)];
      return { granted: true, ticket: { state, scope, service, reservations } };
    },

    settle({ state, scope, service, reservations }, s: Settlement) {
      const now = clock.now();
      const [appReservation, methodReservation] = reservations;
      if (appReservation) state.app.log.complete(appReservation, now);
      if (methodReservation) scope.log.complete(methodReservation, now);
      if (s.app) {
        learn(state.app, s.app);
        learnedAppLimits = s.app;
      }
      if (Array.isArray(s.method)) learn(scope, s.method);
      else if (s.method === 'none' && scope.windows === null) learn(scope, []);
      const sentAt = reservations[0]?.sentAt ?? now;
      reconcile(state.app, s.appCount, sentAt, now);
      reconcile(scope, s.methodCount, sentAt, now);
      if (s.block?.scope === 'service') {
        const until = Math.max(state.services.get(service) ?? 0, now + s.block.ms);
        state.services.set(service, until);
      } else if (s.block) {
        const target = s.block.scope === 'app' ? state.app : scope;
        target.blockedUntil = Math.max(target.blockedUntil, now + s.block.ms);
      }
      const longest = Math.max(0, ...(state.app.windows ?? []).map(windowMs));
      state.app.log.prune(longest, marginMs, now);
      scope.log.prune(Math.max(longest, ...(scope.windows ?? []).map(windowMs)), marginMs, now);
    },

    usage(routing): BudgetUsage {
      const now = clock.now();
      const state = stateFor(routing);
      const methods: Record<string, BudgetUsage['app']> = {};
      for (const [name, scope] of state.methods) methods[name] = usageOf(scope, now);
      return {
        app: usageOf(state.app, now),
        methods,
        blockedForMs: Math.max(0, state.app.blockedUntil - now),
      };
    },
  };
}
