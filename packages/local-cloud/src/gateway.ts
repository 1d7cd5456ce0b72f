import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { callerOf, signingServiceOf } from './credentialScope';
import { freePort, LOCAL_HOST } from './freePort';
import {
  type AnyRequest,
  type AnyResponse,
  parseJson,
  readBody,
  sendResponse,
  withoutPseudoHeaders,
} from './httpExchange';

/** One AWS JSON-protocol (or Query-protocol) request, as seen by a local service. */
export interface LocalRequest {
  /** Full `X-Amz-Target`, e.g. `Kinesis_20131202.CreateStream`; `<signing service>.<Action>` for the Query protocol. */
  target: string;
  /** Operation part of the target, e.g. `CreateStream`. */
  operation: string;
  /** Raw request body, byte for byte. */
  body: Buffer;
  /** Parsed JSON body (the form parameters for the Query protocol), or `undefined` when empty or not JSON. */
  json: unknown;
  /** Request headers (HTTP/2 pseudo-headers removed). */
  headers: IncomingHttpHeaders;
  /** Account of the caller: the access key id when it is 12 digits, else `000000000000`. */
  account: string;
  /** Region of the SigV4 credential scope, else `us-east-1`. */
  region: string;
  /** Access key id of the SigV4 credential, or `''` when the request is unsigned. */
  accessKeyId: string;
}

/** Response of a local service; an object body is sent as JSON. */
export interface LocalResponse {
  status: number;
  headers?: Record<string, string>;
  body: Buffer | string | object;
}

/** A local AWS service registered on the gateway under a target prefix. */
export type LocalService = (req: LocalRequest) => Promise<LocalResponse>;

/**
 * Sees every request before its service: return `next()` (possibly changed) to pass it on, or
 * a response of its own (an injected fault). Interceptors run in the order they were added.
 */
export type GatewayInterceptor = (req: LocalRequest, next: () => Promise<LocalResponse>) => Promise<LocalResponse>;

/**
 * Decides a request before its service sees it (IAM, service control policies): `undefined` lets it through, a
 * response refuses it. Gets the service, to read what the decision needs (e.g. the resource's tags).
 */
export type GatewayAuthorizer = (req: LocalRequest, service: LocalService) => Promise<LocalResponse | undefined>;

/** Options of {@link LocalGateway}. */
export interface LocalGatewayOptions {
  /** Port to listen on; a free port when omitted. */
  port?: number;
  /** Address to listen on; `127.0.0.1` when omitted. */
  host?: string;
  /** Authorizers by target prefix (e.g. `Kinesis_20131202`): every request of that prefix is decided first. */
  authorizers?: Readonly<Record<string, GatewayAuthorizer>>;
}

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');
const QUERY_PREFIX = 'query:';
const REST_PREFIX = 'rest:';

/** Builds an error response in the AWS JSON protocol shape. */
export const awsJsonError = (type: string, message: string, status = 400): LocalResponse => ({
  status,
  headers: { 'x-amzn-ErrorType': type },
  body: { __type: type, message },
});

/**
 * One local HTTP endpoint for every AWS JSON-protocol service: requests are routed by the
 * prefix of `X-Amz-Target` to the registered {@link LocalService}, the caller's account and
 * region read from the SigV4 credential scope. Accepts HTTP/1.1 and cleartext HTTP/2 (the
 * Kinesis SDK client's default) on the same port.
 */
export class LocalGateway {
  readonly #services = new Map<string, LocalService>();
  readonly #interceptors: GatewayInterceptor[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #options: LocalGatewayOptions;
  #server: Server | undefined;
  #url: string | undefined;

  public constructor(options: LocalGatewayOptions = {}) {
    this.#options = options;
  }

  /** Routes requests whose target starts with `prefix.` (e.g. `Kinesis_20131202`) to `service`. */
  public register(prefix: string, service: LocalService): void {
    this.#services.set(prefix, service);
  }

  /**
   * Routes AWS Query-protocol requests (form-encoded `Action=…`, no `X-Amz-Target`) signed for
   * `signingService` (e.g. `sts`) to `service`; its target is `<signingService>.<Action>`.
   */
  public registerQuery(signingService: string, service: LocalService): void {
    this.#services.set(`${QUERY_PREFIX}${signingService}`, service);
  }

  /**
   * Routes AWS REST-JSON requests (`POST /<operation>`, no `X-Amz-Target`, e.g. the Account API's `/listRegions`)
   * signed for `signingService` to `service`; its target is `<signingService>.<Operation>`.
   */
  public registerRest(signingService: string, service: LocalService): void {
    this.#services.set(`${REST_PREFIX}${signingService}`, service);
  }

  /** Adds an interceptor (fault injection, observation); returns a function that removes it. */
  public intercept(interceptor: GatewayInterceptor): () => void {
    this.#interceptors.push(interceptor);
    return () => {
      const index = this.#interceptors.indexOf(interceptor);
      if (index >= 0) this.#interceptors.splice(index, 1);
    };
  }

  /** Base URL once started, e.g. `http://127.0.0.1:4566`. */
  public get url(): string {
    if (this.#url === undefined) throw new Error('LocalGateway is not started');
    return this.#url;
  }

  /** Starts listening; resolves with the base URL. */
  public async start(): Promise<string> {
    if (this.#url !== undefined) return this.#url;
    const host = this.#options.host ?? LOCAL_HOST;
    const port = this.#options.port ?? (await freePort(host));
    const handler = (req: AnyRequest, res: AnyResponse): void => {
      void this.#handle(req, res);
    };
    const http1 = createHttpServer({ keepAliveTimeout: 60_000 }, handler);
    const http2 = createHttp2Server({}, handler);
    const server = createNetServer((socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      socket.once('data', (first: Buffer) => {
        socket.pause();
        socket.unshift(first);
        const isHttp2 = first.subarray(0, 3).equals(HTTP2_PREFACE.subarray(0, 3));
        (isHttp2 ? http2 : http1).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
      socket.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.#url = `http://${host}:${port}`;
    return this.#url;
  }

  /** Stops listening and closes every open connection. */
  public async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#url = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }

  async #handle(req: AnyRequest, res: AnyResponse): Promise<void> {
    let response: LocalResponse;
    let contentType = 'application/x-amz-json-1.1';
    try {
      const body = await readBody(req);
      const headers = withoutPseudoHeaders(req.headers);
      const requestType = headers['content-type'];
      if (typeof requestType === 'string' && requestType.startsWith('application/x-amz-json')) {
        contentType = requestType;
      }
      if (typeof requestType === 'string' && requestType.startsWith('application/x-www-form-urlencoded')) {
        contentType = 'text/xml';
      }
      response = await this.#route(req, headers, body);
    } catch (error) {
      response = awsJsonError('InternalFailure', `Local gateway error: ${String(error)}`, 500);
    }
    sendResponse(res, response, contentType);
  }

  async #route(req: AnyRequest, headers: IncomingHttpHeaders, body: Buffer): Promise<LocalResponse> {
    const targetHeader = headers['x-amz-target'];
    const target = typeof targetHeader === 'string' ? targetHeader : '';
    const form = headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true;
    if (target === '' && form) return this.#routeQuery(req, headers, body);
    if (target === '' && req.method === 'POST') {
      const rest = this.#services.get(`${REST_PREFIX}${signingServiceOf(headers, req.url)}`);
      const path = /^\/([a-zA-Z]+)(?:\?.*)?$/.exec(req.url ?? '')?.[1];
      if (rest !== undefined && path !== undefined) {
        const operation = `${path.charAt(0).toUpperCase()}${path.slice(1)}`;
        const request: LocalRequest = {
          target: `${signingServiceOf(headers, req.url)}.${operation}`,
          operation,
          body,
          json: parseJson(body),
          headers,
          ...callerOf(headers, req.url),
        };
        return this.#serve(rest, request);
      }
    }
    if (target === '') {
      if (req.method === 'GET') {
        return { status: 200, body: { status: 'ok', services: [...this.#services.keys()] } };
      }
      return awsJsonError('UnknownOperationException', 'Missing X-Amz-Target header');
    }
    const dot = target.lastIndexOf('.');
    const prefix = dot === -1 ? target : target.slice(0, dot);
    const operation = dot === -1 ? '' : target.slice(dot + 1);
    const service = this.#services.get(prefix);
    if (service === undefined) {
      return awsJsonError('UnknownOperationException', `No local service for target ${target}`);
    }
    const request: LocalRequest = {
      target,
      operation,
      body,
      json: parseJson(body),
      headers,
      ...callerOf(headers, req.url),
    };
    return this.#serve(service, request, this.#options.authorizers?.[prefix]);
  }

  /** A Query-protocol request: the service from the SigV4 scope, the operation from `Action`. */
  async #routeQuery(req: AnyRequest, headers: IncomingHttpHeaders, body: Buffer): Promise<LocalResponse> {
    const signingService = signingServiceOf(headers, req.url);
    const parameters = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    const operation = parameters.Action ?? '';
    const service = this.#services.get(`${QUERY_PREFIX}${signingService}`);
    if (service === undefined) {
      return awsJsonError('UnknownOperationException', `No local Query service for ${signingService || 'unsigned'}`);
    }
    const request: LocalRequest = {
      target: `${signingService}.${operation}`,
      operation,
      body,
      json: parameters,
      headers,
      ...callerOf(headers, req.url),
    };
    return this.#serve(service, request);
  }

  #serve(service: LocalService, request: LocalRequest, authorizer?: GatewayAuthorizer): Promise<LocalResponse> {
    const chain = [...this.#interceptors];
    // The authorizer is the last step before the service: interceptors (faults, observers) see every request.
    const serve: LocalService =
      authorizer === undefined ? service : async (req) => (await authorizer(req, service)) ?? service(req);
    const next = async (index: number): Promise<LocalResponse> => {
      const interceptor = chain[index];
      return interceptor === undefined ? serve(request) : interceptor(request, () => next(index + 1));
    };
    return next(0);
  }
}
