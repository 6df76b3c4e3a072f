import type { IncomingMessage, Server } from 'node:http';
import { type ExecutionArgs, GraphQLError, getOperationAST } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { isAsyncIterable, type YogaServerInstance } from 'graphql-yoga';
import { type WebSocket, WebSocketServer } from 'ws';
import { AppError, ERROR_CODE } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { type ConnectionLimit, TOO_MANY_CONNECTIONS } from './connection-limit.ts';

/** Operations one socket may have open at once (a dashboard runs a handful). */
export const MAX_OPERATIONS_PER_SOCKET = 100;
/** Bytes queued for a socket its client has not read, past which the client is cut off. */
const MAX_UNREAD_BYTES = 16 * 1024 * 1024;

type Enveloped = {
  execute: (a: ExecutionArgs) => unknown;
  subscribe: (a: ExecutionArgs) => unknown;
};
type MaskError = (error: unknown, message: string) => Error;

/**
 * graphql-ws on `path` of `server`, through Yoga's envelop: the same context, auth, throttling,
 * limits and error masking as over HTTP. Returns the socket server and what disposes of it.
 */
export function serveWebSocket(options: {
  server: Server;
  path: string;
  maxPayload: number;
  // biome-ignore lint/suspicious/noExplicitAny: any Yoga server's envelop serves here
  yoga: YogaServerInstance<any, any>;
  maskError: MaskError;
  log: Logger;
  limit: ConnectionLimit;
  /** True while riftwatch stops: only subscriptions are taken (see stopping below). */
  draining: () => boolean;
}) {
  const { yoga, maskError, log, limit, draining } = options;
  const wss = new WebSocketServer({
    server: options.server,
    path: options.path,
    maxPayload: options.maxPayload,
    // Refused at the handshake, before any socket is made.
    verifyClient: (info, done) => {
      if (limit.admits(info.req.socket.remoteAddress)) done(true);
      else done(false, 429, TOO_MANY_CONNECTIONS);
    },
  });
  wss.on('connection', (socket, request) => {
    socket.once('close', limit.hold(request.socket.remoteAddress));
  });
  refuseBadFrames(wss, log);
  const refuse = (error: unknown) => [maskError(error, '') as GraphQLError];
  // Operations still being set up, per socket and id. graphql-ws forgets an id on the client's
  // `complete` even then; a second `subscribe` with that id (which the protocol allows once the
  // first is complete) would start a second operation while the first one, running on, is no
  // longer tracked: it outlived the socket. The second is refused (CONFLICT), and the first,
  // cancelled by the client, is ended as soon as it has started.
  const starting = new WeakMap<object, Map<string, { cancelled: boolean }>>();

  /** Refuses an operation past the socket's limit, or whose id is still starting. */
  const admit = (ctx: { subscriptions: object }, id: string) => {
    const ids = starting.get(ctx) ?? new Map<string, { cancelled: boolean }>();
    starting.set(ctx, ids);
    // This operation is counted already; so are those the client completed while starting.
    const open = new Set([...Object.keys(ctx.subscriptions), ...ids.keys()]);
    if (open.size > MAX_OPERATIONS_PER_SOCKET) {
      return refuse(
        new AppError(
          ERROR_CODE.limitReached,
          `At most ${MAX_OPERATIONS_PER_SOCKET} operations at once on one socket`,
        ),
      );
    }
    const earlier = ids.get(id);
    if (earlier) {
      earlier.cancelled = true;
      return refuse(
        new AppError(
          ERROR_CODE.conflict,
          `Operation ${id} is still starting: use a new id, or this one once it has ended`,
        ),
      );
    }
    ids.set(id, { cancelled: false });
    return null;
  };

  const disposable = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      onSubscribe: async (ctx, id, params) => {
        const refused = admit(ctx, id);
        if (refused) return refused;
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.request.socket,
          params,
        });
        let document: ReturnType<typeof enveloped.parse>;
        let errors: readonly GraphQLError[];
        try {
          document = enveloped.parse(params.query);
          // graphql-armor's depth, alias and directive rules throw rather than report: uncaught,
          // graphql-ws would close the whole socket as an internal error.
          errors = enveloped.validate(enveloped.schema, document);
          if (errors.length === 0 && !getOperationAST(document, params.operationName)) {
            throw new GraphQLError('Could not determine what operation to execute.', {
              extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
            });
          }
        } catch (error) {
          starting.get(ctx)?.delete(id);
          return refuse(error);
        }
        if (errors.length > 0) {
          starting.get(ctx)?.delete(id);
          return errors.map((e: GraphQLError) => maskError(e, '') as GraphQLError);
        }
        if (
          draining() &&
          getOperationAST(document, params.operationName)?.operation !== 'subscription'
        ) {
          starting.get(ctx)?.delete(id);
          return [stopping()];
        }
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
      onOperation: (ctx, id, _params, _args, result) => {
        const operation = starting.get(ctx)?.get(id);
        starting.get(ctx)?.delete(id);
        if (!operation?.cancelled || !isAsyncIterable(result)) return;
        // Never read from, its source never starts listening; graphql-ws reads an ended one.
        void (result as AsyncIterator<unknown>).return?.();
        return (async function* () {})();
      },
    },
    wss,
  );
  return { wss, dispose: () => Promise.resolve(disposable.dispose()) };
}

/** What HTTP answers with 503 while riftwatch stops, as a GraphQL error. */
const stopping = () =>
  new GraphQLError('riftwatch is stopping: it takes no new requests', {
    extensions: { code: 'UNAVAILABLE' },
  });

/**
 * Frames the client got wrong. ws closes the socket itself on a bad frame (over the size limit,
 * bad UTF-8: 1009, 1007, 1002); a message only a server sends (`next`, `error`,
 * `connection_ack`) is closed here as any malformed message is (4400). Either way one log line:
 * graphql-ws would print the error and its stack to stderr, and close the second as an internal
 * error (4500). Registered before graphql-ws's own listener, so every socket is wrapped before it
 * sees a frame.
 */
function refuseBadFrames(wss: WebSocketServer, log: Logger): void {
  wss.on('connection', (socket, request) => {
    const address = request.socket.remoteAddress;
    guardWrites(socket, address, log);
    const emit = socket.emit.bind(socket);
    socket.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event === 'error') {
        const [error] = args as [{ code?: unknown; message?: string } | undefined];
        if (typeof error?.code === 'string' && error.code.startsWith('WS_ERR_')) {
          log.warn({ code: error.code, address }, `WebSocket closed: ${error.message}`);
          return true;
        }
      }
      // Client messages are few (subscribe, complete, ping): parsing them twice costs little.
      if (event === 'message' && isServerMessage(String(args[0]))) {
        log.warn({ address }, 'WebSocket closed: the client sent a server message');
        socket.close(CloseCode.BadRequest, 'Invalid message received');
        return true;
      }
      return emit(event, ...args);
    };
  });
}

/**
 * What the server writes to a socket. A client that stops reading (while it sends pings, or while
 * events arrive) is cut off once MAX_UNREAD_BYTES wait for it, instead of being buffered for
 * without bound. A write that fails because the peer went away counts as done: the close that
 * follows ends its operations, where graphql-ws would print each failed write with its stack.
 */
function guardWrites(socket: WebSocket, address: string | undefined, log: Logger): void {
  const send = socket.send.bind(socket) as (
    data: unknown,
    options: object,
    cb: (error?: Error) => void,
  ) => void;
  (socket as { send: unknown }).send = (data: unknown, ...rest: unknown[]) => {
    const options = typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : {};
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    send(data, options, () => callback?.());
    if (socket.bufferedAmount > MAX_UNREAD_BYTES && socket.readyState === socket.OPEN) {
      log.warn(
        { address, unread: socket.bufferedAmount },
        'WebSocket closed: the client does not read what it is sent',
      );
      socket.terminate();
    }
  };
}

/** Whether a client message is of a type only a server sends. */
function isServerMessage(text: string): boolean {
  try {
    const type = (JSON.parse(text) as { type?: unknown } | null)?.type;
    return type === 'next' || type === 'error' || type === 'connection_ack';
  } catch {
    return false;
  }
}
