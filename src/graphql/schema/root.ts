import { builder } from '../builder.ts';

builder.queryType({ description: 'Reads: open to every caller.' });

builder.mutationType({
  description:
    'Changes: each needs the admin token and spends one unit of the caller’s mutation budget.',
  authScopes: { admin: true },
});

builder.subscriptionType({
  description: 'Live events over graphql-ws or SSE, shared across processes through Redis.',
});
