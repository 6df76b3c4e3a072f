import {
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
} from 'graphql';

/**
 * The root fields riftwatch answers null: lookups of what does not exist. Every other root field
 * the CLI asks for is non-null in riftwatch's schema.
 */
export const NULLABLE_ROOT_FIELDS: ReadonlySet<string> = new Set(['job', 'jobExecution', 'player']);

type Document = {
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
};

const parsed = new Map<string, Document>();

function documentOf(text: string): Document {
  let document = parsed.get(text);
  if (!document) {
    const { definitions } = parse(text);
    const operation = definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (!operation) throw new Error('A GraphQL document without an operation');
    const fragments = definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    document = { operation, fragments: new Map(fragments.map((f) => [f.name.value, f])) };
    parsed.set(text, document);
  }
  return document;
}

type Answer = Record<string, unknown>;

/** What is wrong with `value`, the answer to a field selecting `selectionSet`, at `at`. */
function valueProblem(
  document: Document,
  selectionSet: SelectionSetNode,
  value: unknown,
  at: string,
): string | null {
  // Whether null may stand there is the schema's to say: below the root, it is let through.
  if (value === null) return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      // Every list riftwatch answers holds non-null items.
      if (item === null) return `${at}[${i}] is null`;
      const problem = valueProblem(document, selectionSet, item, `${at}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value !== 'object') return `${at} is a ${typeof value}, not an object or a list`;
  return selectionProblem(document, selectionSet, value as Answer, at);
}

/** A field asked for and not answered: no GraphQL server leaves one out. */
function selectionProblem(
  document: Document,
  selectionSet: SelectionSetNode,
  answer: Answer,
  path: string,
): string | null {
  for (const selection of selectionSet.selections) {
    // @include and @skip may leave a field out.
    if (selection.directives?.length) continue;
    let problem: string | null;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const at = path ? `${path}.${key}` : key;
      if (!(key in answer)) return `${at} is missing`;
      problem = selection.selectionSet
        ? valueProblem(document, selection.selectionSet, answer[key], at)
        : null;
    } else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection
          : document.fragments.get(selection.name.value);
      // A fragment's fields are answered for objects of its type, which only a __typename tells
      // here (an interface's name never matches: its fields go unchecked).
      const type = fragment?.typeCondition?.name.value;
      if (!fragment || (type !== undefined && type !== answer.__typename)) continue;
      problem = selectionProblem(document, fragment.selectionSet, answer, path);
    }
    if (problem) return problem;
  }
  return null;
}

/**
 * Why `data`, an answer without errors to `query`, cannot be riftwatch's (e.g. "jobs is null"),
 * or null when it may be: each field asked for is there, with an object or a list where it has
 * fields of its own, and a root field is null only where riftwatch's is a lookup.
 */
export function unlikeRiftwatch(query: string, data: Answer): string | null {
  const document = documentOf(query);
  const { selectionSet } = document.operation;
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || NULLABLE_ROOT_FIELDS.has(selection.name.value)) continue;
    const key = selection.alias?.value ?? selection.name.value;
    if (data[key] === null) return `${key} is null`;
  }
  return selectionProblem(document, selectionSet, data, '');
}
