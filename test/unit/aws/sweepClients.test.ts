import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { ApiCallBudget } from '../../../src/aws/apiCallBudget';
import { createSweepClients, SWEEP_MAX_SOCKETS } from '../../../src/aws/sweepClients';

/**
 * A local endpoint answering every AWS JSON call with `{}` after `delayMs`, counting the TCP connections open at
 * once (a connection opens on `connection` and ends on the socket's `close`).
 */
const countingEndpoint = async (delayMs: number) => {
  let open = 0;
  let peak = 0;
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests++;
    request.resume();
    request.on('end', () =>
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end('{}');
      }, delayMs)
    );
  });
  server.on('connection', (socket) => {
    open++;
    peak = Math.max(peak, open);
    socket.on('close', () => {
      open--;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    peak: () => peak,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

describe('sweep clients share one bounded keep-alive agent', () => {
  it('300 calls at once from the clients of 100 account-regions use at most SWEEP_MAX_SOCKETS connections', async () => {
    // Prepare: Lambda allows 1,024 file descriptors per execution environment ("Lambda quotas",
    // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); a keep-alive agent per client would
    // hold one socket per client.
    const endpoint = await countingEndpoint(100);
    const credentials = async () => ({ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' });
    const clients = Array.from({ length: 100 }, (_, index) =>
      createSweepClients({
        region: index % 2 === 0 ? 'us-east-1' : 'eu-west-1',
        credentials,
        endpoint: endpoint.url,
        budget: new ApiCallBudget({}),
      })
    );

    // Act
    try {
      await Promise.all(
        clients.flatMap((client) => [
          client.kinesis.send(new ListStreamsCommand({})),
          client.tagging.send(new GetResourcesCommand({})),
          client.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/kinesis' })),
        ])
      );
    } finally {
      await endpoint.close();
    }

    // Assess
    expect(endpoint.requests()).toBe(300);
    expect(SWEEP_MAX_SOCKETS).toBeLessThanOrEqual(256);
    expect(endpoint.peak()).toBeGreaterThan(1);
    expect(endpoint.peak()).toBeLessThanOrEqual(SWEEP_MAX_SOCKETS);
  });
});
