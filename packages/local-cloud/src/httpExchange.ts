import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/** A request of either HTTP/1.1 or HTTP/2. */
export type AnyRequest = IncomingMessage | Http2ServerRequest;
/** A response of either HTTP/1.1 or HTTP/2. */
export type AnyResponse = ServerResponse | Http2ServerResponse;

/** The whole request body, byte for byte. */
export const readBody = async (req: AnyRequest): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
};

/** Parsed JSON body, or `undefined` when the body is empty or not JSON. */
export const parseJson = (body: Buffer): unknown => {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

/** Request headers without HTTP/2 pseudo-headers (`:path`, `:method`, …). */
export const withoutPseudoHeaders = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':')));

/**
 * Writes a response with a fresh `x-amzn-requestid`, an exact `content-length` and no
 * connection-specific headers (HTTP/2 forbids them); an object body is sent as JSON.
 */
export const sendResponse = (
  res: AnyResponse,
  response: { status: number; headers?: Record<string, string>; body: Buffer | string | object },
  contentType: string
): void => {
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
};
