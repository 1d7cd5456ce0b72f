import { Agent, request } from 'node:http';
import { awsJsonError, type LocalRequest, type LocalResponse, type LocalService } from './gateway';

/** Response of an upstream emulator, body kept as bytes. */
export interface ForwardedResponse extends LocalResponse {
  headers: Record<string, string>;
  body: Buffer;
}

/** Forwards gateway requests byte for byte (headers incl. `Authorization`) to one upstream. */
export interface HttpForwarder {
  forward(req: LocalRequest): Promise<ForwardedResponse>;
  /** Closes pooled connections. */
  close(): void;
}

const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'content-length',
]);
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'x-amzn-requestid',
  'x-amz-id-2',
  'x-amzn-errortype',
  'x-amz-crc32',
];

/** Creates a keep-alive HTTP/1.1 forwarder to `upstream` (e.g. `http://127.0.0.1:45678`). */
export const createHttpForwarder = (upstream: string): HttpForwarder => {
  const url = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const forward = (req: LocalRequest): Promise<ForwardedResponse> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      headers.host = url.host;
      headers['content-length'] = String(req.body.length);
      const outgoing = request(
        { host: url.hostname, port: url.port, method: 'POST', path: '/', headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const responseHeaders: Record<string, string> = {};
            for (const name of FORWARDED_RESPONSE_HEADERS) {
              const value = res.headers[name];
              if (typeof value === 'string') responseHeaders[name] = value;
            }
            resolve({ status: res.statusCode ?? 500, headers: responseHeaders, body: Buffer.concat(chunks) });
          });
        }
      );
      outgoing.on('error', reject);
      outgoing.end(req.body);
    });
  return { forward, close: () => agent.destroy() };
};

/**
 * A raw proxy service: every request goes unchanged to `upstream`; an unreachable upstream
 * gives a JSON `ServiceUnavailableException` (503) naming `serviceName`.
 */
export const createProxyService = (
  upstream: string,
  serviceName = 'service'
): { service: LocalService; close(): void } => {
  const forwarder = createHttpForwarder(upstream);
  const service: LocalService = async (req) => {
    try {
      return await forwarder.forward(req);
    } catch (error) {
      return awsJsonError(
        'ServiceUnavailableException',
        `Local ${serviceName} is not reachable: ${String(error)}`,
        503
      );
    }
  };
  return { service, close: forwarder.close };
};
