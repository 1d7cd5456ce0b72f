import { randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { freePort, LOCAL_HOST } from './freePort';

/** One AWS JSON-protocol request, as seen by a local service. */
export interface LocalRequest {
  /** Full `X-Amz-Target`, e.g. `Kinesis_20131202.CreateStream`. */
  target: string;
  /** Operation part of the target, e.g. `CreateStream`. */
  operation: string;
  /** Raw request body, byte for byte. */
  body: Buffer;
  /** Parsed JSON body, or `undefined` when the body is empty or not JSON. */
  json: unknown;
  /** Request headers (HTTP/2 pseudo-headers removed). */
  headers: IncomingHttpHeaders;
  /** Account of the caller: the access key id when it is 12 digits, else {@link DEFAULT_ACCOUNT}. */
  account: string;
  /** Region of the SigV4 credential scope, else {@link DEFAULT_REGION}. */
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

/** A fault answered by the gateway instead of a service (see {@link LocalGateway.injectFault}). */
export interface GatewayFault {
  /** `Prefix` (every operation) or `Prefix.Operation`, e.g. `DynamoDB_20120810` or `AWSStepFunctions.StartExecution`. */
  target: string;
  /** Only requests of this account. */
  account?: string;
  /** Requests to fail; every matching request until `clear()` when omitted. */
  count?: number;
  /** e.g. `ThrottlingException`, `ServiceUnavailable`, `InternalServerError`. */
  errorType: string;
  /** HTTP status; default 400 for `*Throttl*` types, else 500. */
  status?: number;
  message?: string;
}

/** Control of an injected fault. */
export interface GatewayFaultHandle {
  /** Requests answered with the fault so far. */
  readonly injected: number;
  /** Stops injecting (the service answers again). */
  clear(): void;
}

/** Options of {@link LocalGateway}. */
export interface LocalGatewayOptions {
  /** Port to listen on; a free port when omitted. */
  port?: number;
  /** Address to listen on; `127.0.0.1` when omitted. */
  host?: string;
}

/** Account used when the access key id is not a 12-digit account id (AWS CLI, SDK defaults). */
export const DEFAULT_ACCOUNT = '000000000000';
/** Region used when the request carries no SigV4 credential scope. */
export const DEFAULT_REGION = 'us-east-1';

const ACCOUNT_PATTERN = /^\d{12}$/;
const CREDENTIAL_PATTERN = /Credential=([^/,\s]+)\/[^/]+\/([^/]+)\/[^/]+\/aws4_request/;
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');

/** Builds an error response in the AWS JSON protocol shape. */
export const awsJsonError = (type: string, message: string, status = 400): LocalResponse => ({
  status,
  headers: { 'x-amzn-ErrorType': type },
  body: { __type: type, message },
});

/** Account selected by an access key id: itself when it is 12 digits, else {@link DEFAULT_ACCOUNT}. */
export const accountFromAccessKeyId = (accessKeyId: string): string =>
  ACCOUNT_PATTERN.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;

/**
 * Reads the access key id and region of a SigV4 credential, from the `Authorization`
 * header or from an `X-Amz-Credential` query parameter (presigned URL).
 */
export const parseCredentialScope = (
  authorization: string | undefined,
  url = ''
): { accessKeyId: string; region: string } | undefined => {
  const fromHeader = authorization?.match(CREDENTIAL_PATTERN);
  if (fromHeader?.[1] !== undefined && fromHeader[2] !== undefined) {
    return { accessKeyId: fromHeader[1], region: fromHeader[2] };
  }
  const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : undefined;
  const credential = query?.get('X-Amz-Credential');
  const [accessKeyId, , region] = credential?.split('/') ?? [];
  if (accessKeyId !== undefined && region !== undefined) {
    return { accessKeyId, region };
  }
  return undefined;
};

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

const readBody = async (req: AnyRequest): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
};

const parseJson = (body: Buffer): unknown => {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

const withoutPseudoHeaders = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':')));

/**
 * One local HTTP endpoint for every AWS JSON-protocol service: requests are routed by the
 * prefix of `X-Amz-Target` to the registered {@link LocalService}. Accepts HTTP/1.1 and
 * cleartext HTTP/2 (the Kinesis SDK client's default) on the same port.
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

  /** Adds an interceptor (fault injection, observation); returns a function that removes it. */
  public intercept(interceptor: GatewayInterceptor): () => void {
    this.#interceptors.push(interceptor);
    return () => {
      const index = this.#interceptors.indexOf(interceptor);
      if (index >= 0) this.#interceptors.splice(index, 1);
    };
  }

  /**
   * Answers matching requests with an AWS JSON error instead of their service, e.g. the
   * idempotency store being unavailable or StartExecution throttled `count` times.
   */
  public injectFault(fault: GatewayFault): GatewayFaultHandle {
    const status = fault.status ?? (/throttl/i.test(fault.errorType) ? 400 : 500);
    let injected = 0;
    const matches = (req: LocalRequest): boolean =>
      (req.target === fault.target || req.target.startsWith(`${fault.target}.`)) &&
      (fault.account === undefined || fault.account === req.account);
    const remove = this.intercept(async (req, next) => {
      if (!matches(req) || (fault.count !== undefined && injected >= fault.count)) return next();
      injected++;
      if (fault.count !== undefined && injected >= fault.count) remove();
      return awsJsonError(fault.errorType, fault.message ?? `Injected local fault: ${fault.errorType}`, status);
    });
    return {
      get injected() {
        return injected;
      },
      clear: remove,
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
      response = await this.#route(req, headers, body);
    } catch (error) {
      response = awsJsonError('InternalFailure', `Local gateway error: ${String(error)}`, 500);
    }
    this.#send(res, response, contentType);
  }

  async #route(req: AnyRequest, headers: IncomingHttpHeaders, body: Buffer): Promise<LocalResponse> {
    const targetHeader = headers['x-amz-target'];
    const target = typeof targetHeader === 'string' ? targetHeader : '';
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
    const authorization = headers.authorization;
    const scope = parseCredentialScope(typeof authorization === 'string' ? authorization : undefined, req.url);
    const accessKeyId = scope?.accessKeyId ?? '';
    const request: LocalRequest = {
      target,
      operation,
      body,
      json: parseJson(body),
      headers,
      account: accountFromAccessKeyId(accessKeyId),
      region: scope?.region ?? DEFAULT_REGION,
      accessKeyId,
    };
    const chain = [...this.#interceptors];
    const next = async (index: number): Promise<LocalResponse> => {
      const interceptor = chain[index];
      return interceptor === undefined ? service(request) : interceptor(request, () => next(index + 1));
    };
    return next(0);
  }

  #send(res: AnyResponse, response: LocalResponse, contentType: string): void {
    const { status, headers = {}, body } = response;
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const outHeaders: Record<string, string> = {
      'content-type': contentType,
      'x-amzn-requestid': randomUUID(),
    };
    for (const [name, value] of Object.entries(headers)) outHeaders[name.toLowerCase()] = value;
    outHeaders['content-length'] = String(payload.length);
    for (const name of ['connection', 'transfer-encoding', 'keep-alive']) delete outHeaders[name];
    if (res.headersSent) return;
    (res as ServerResponse).writeHead(status, outHeaders);
    (res as ServerResponse).end(payload);
  }
}
