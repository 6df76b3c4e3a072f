import { builder } from '../builder.ts';

export type RateLimitView = {
  routing: string;
  windows: { scope: string; limit: number; used: number; windowSeconds: number }[];
  queued: number | null;
  blockedForMs: number | null;
  at: Date;
};

const Window = builder.objectRef<RateLimitView['windows'][number]>('RateLimitWindow').implement({
  description: 'One Riot rate-limit window: `used` of `limit` requests per `windowSeconds`.',
  fields: (t) => ({
    scope: t.exposeString('scope', { description: '`app`, or the method it limits.' }),
    limit: t.exposeInt('limit'),
    used: t.exposeInt('used'),
    windowSeconds: t.exposeInt('windowSeconds'),
    percentage: t.float({
      resolve: (w) => (w.limit > 0 ? Math.round((w.used / w.limit) * 1000) / 10 : 0),
    }),
  }),
});

export const RateLimitUsage = builder.objectRef<RateLimitView>('RateLimitUsage').implement({
  description: 'Riot API budget use for one routing value (`euw1`, `europe`, …).',
  fields: (t) => ({
    routing: t.exposeString('routing'),
    windows: t.expose('windows', { type: [Window] }),
    queued: t.exposeInt('queued', { nullable: true, description: 'Requests waiting for a slot.' }),
    blockedForSeconds: t.float({
      nullable: true,
      description: 'Remaining wait imposed by a 429 on the routing value.',
      resolve: (u) => (u.blockedForMs === null ? null : u.blockedForMs / 1000),
    }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});
