import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Parsed and validated documents, kept for the next request with the same text. It stands in for
 * Yoga's own cache, which per request joins the names of every validation rule into its key (the
 * rules here never change) and checks a time-to-live on each read.
 *
 * At most `max` documents; past that the least recently used goes first (a document that goes
 * takes its compiled query with it). Documents that fail to parse are not kept: the token limit
 * bounds what parsing them costs.
 */
export function useDocumentCache(max = 1024): Plugin {
  const documents = new Map<string, DocumentNode>();
  const validations = new WeakMap<DocumentNode, readonly Error[]>();
  return {
    onParse({ params, setParsedDocument }) {
      const text = typeof params.source === 'string' ? params.source : params.source.body;
      const cached = documents.get(text);
      if (cached) {
        // Last in the Map's order: the most recently used.
        documents.delete(text);
        documents.set(text, cached);
        setParsedDocument(cached);
        return;
      }
      return ({ result }) => {
        if (!result || result instanceof Error) return;
        if (documents.size >= max) documents.delete(documents.keys().next().value as string);
        documents.set(text, result as DocumentNode);
      };
    },
    onValidate({ params, setResult }) {
      const cached = validations.get(params.documentAST);
      if (cached) {
        setResult(cached);
        return;
      }
      return ({ result }) => {
        validations.set(params.documentAST, result);
      };
    },
  };
}
