import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * What a parsed document holds per token of its text, tokens and AST nodes with their locations
 * (measured on Node 20: 470 to 540 bytes; a 4 KB document of 2,000 one-letter fields holds about
 * 950 KB, so its text length says little).
 */
export const BYTES_PER_TOKEN = 512;

export type DocumentCacheLimits = {
  /** Documents kept at most. */
  maxDocuments: number;
  /** What the kept documents may hold in all (text and estimated parse, see BYTES_PER_TOKEN). */
  maxBytes: number;
  /** A document whose text is longer (comments included) is not kept. */
  maxDocumentText: number;
  /** Nor one that would hold more than this (a few hundred tokens). */
  maxDocumentBytes: number;
};

/**
 * The clients' documents are a few hundred tokens and at most a couple of KB of text; a client
 * sending ever new ones pins at most maxBytes, about 16 MB.
 */
export const DOCUMENT_CACHE_LIMITS: DocumentCacheLimits = {
  maxDocuments: 1024,
  maxBytes: 16 * 1024 * 1024,
  maxDocumentText: 8 * 1024,
  maxDocumentBytes: 256 * 1024,
};

/** What `document`, parsed from `text`, holds: its text and its tokens (see BYTES_PER_TOKEN). */
export function documentBytes(text: string, document: DocumentNode): number {
  let tokens = 0;
  let token = document.loc?.startToken ?? null;
  if (!token) return text.length * (1 + BYTES_PER_TOKEN / 2);
  for (; token; token = token.next) tokens += 1;
  return text.length + tokens * BYTES_PER_TOKEN;
}

/**
 * Parsed and validated documents, kept for the next request with the same text. It stands in for
 * Yoga's own cache, which per request joins the names of every validation rule into its key (the
 * rules here never change) and checks a time-to-live on each read.
 *
 * Bounded by count and by what the documents hold (`DocumentCacheLimits`): past either, the least
 * recently used goes first (a document that goes takes its compiled query with it). A document too
 * long or too large to be a client's is not kept, nor one that fails to parse: the token limit
 * bounds what parsing them again costs.
 */
export function useDocumentCache(limits: Partial<DocumentCacheLimits> = {}): Plugin {
  const { maxDocuments, maxBytes, maxDocumentText, maxDocumentBytes } = {
    ...DOCUMENT_CACHE_LIMITS,
    ...limits,
  };
  const documents = new Map<string, { document: DocumentNode; bytes: number }>();
  let total = 0;
  const validations = new WeakMap<DocumentNode, readonly Error[]>();
  const evictOldest = () => {
    const [text, oldest] = documents.entries().next().value as [
      string,
      { document: DocumentNode; bytes: number },
    ];
    documents.delete(text);
    total -= oldest.bytes;
  };
  return {
    onParse({ params, setParsedDocument }) {
      const text = typeof params.source === 'string' ? params.source : params.source.body;
      if (text.length > maxDocumentText) return;
      const cached = documents.get(text);
      if (cached) {
        // Last in the Map's order: the most recently used.
        documents.delete(text);
        documents.set(text, cached);
        setParsedDocument(cached.document);
        return;
      }
      return ({ result }) => {
        if (!result || result instanceof Error) return;
        const document = result as DocumentNode;
        const bytes = documentBytes(text, document);
        if (bytes > maxDocumentBytes || bytes > maxBytes) return;
        // Parsed twice at once (two requests with the same new text): the first one stays.
        if (documents.has(text)) return;
        while (documents.size > 0 && (documents.size >= maxDocuments || total + bytes > maxBytes)) {
          evictOldest();
        }
        documents.set(text, { document, bytes });
        total += bytes;
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
