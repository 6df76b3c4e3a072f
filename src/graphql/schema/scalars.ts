import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { builder } from '../builder.ts';

// The text JSON would write for the Date anyway (toJSON is toISOString), after the same checks.
// A Date left in a result takes JSON.stringify off its fast path: a page of 50 players with
// their rank histories serialised three times slower.
const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize: (value) => (DateTimeResolver.serialize(value) as Date).toISOString(),
});

builder.addScalarType('DateTime', DateTime);
builder.addScalarType('JSON', JSONResolver);
