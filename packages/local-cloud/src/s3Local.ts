import { createServer, type Server } from 'node:http';
import { freePort, LOCAL_HOST } from './freePort';

/** A running {@link startLocalS3}. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`: AWS_ENDPOINT_URL_S3 (an IP host: the SDK addresses buckets path-style). */
  endpoint: string;
  /** Objects by `bucket/key`. */
  objects: Map<string, { body: Buffer; contentType: string }>;
  stop(): Promise<void>;
}

const notFound = (key: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')}</Key></Error>`;

/**
 * The smallest S3 a batch job writing reports needs: path-style `PutObject` and `GetObject` of any bucket, in memory
 * (S3 API reference: PUT /{Bucket}/{Key}, GET /{Bucket}/{Key}, `NoSuchKey` as 404 XML). No auth, no listing.
 */
export const startLocalS3 = async (): Promise<LocalS3> => {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname.replace(/^\//, ''));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'PUT') {
        objects.set(path, {
          body: Buffer.concat(chunks),
          contentType: String(request.headers['content-type'] ?? 'binary/octet-stream'),
        });
        response.writeHead(200, { ETag: `"${objects.size}"` }).end();
        return;
      }
      const object = objects.get(path);
      if (request.method === 'GET' && object !== undefined) {
        response.writeHead(200, { 'Content-Type': object.contentType, 'Content-Length': object.body.length });
        response.end(object.body);
        return;
      }
      response.writeHead(404, { 'Content-Type': 'application/xml' }).end(notFound(path));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, LOCAL_HOST, resolve));
  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    objects,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
