import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ApiCallBudget } from '../../../src/aws/apiCallBudget';
import { CallRateLimiter } from '../../../src/aws/callRateLimiter';

/*
 * The budget is SDK middleware placed after the retry middleware: measured here at a real HTTP server (the
 * requests as the service would receive them), not with a mocked `send`.
 */
describe('ApiCallBudget', () => {
  let server: Server;
  let endpoint: string;
  const arrivals: { target: string; at: number }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      arrivals.push({ target: String(req.headers['x-amz-target']), at: Date.now() });
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        const listing = String(req.headers['x-amz-target']).endsWith('ListStreams');
        res.end(
          JSON.stringify(listing ? { StreamNames: [], HasMoreStreams: false } : { StreamDescriptionSummary: {} })
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('never lets more than the rate of DescribeStreamSummary reach the service in any second, and counts every call', async () => {
    // Prepare
    arrivals.length = 0;
    const budget = new ApiCallBudget({ DescribeStreamSummary: new CallRateLimiter(10) });
    const client = budget.install(
      new KinesisClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        requestHandler: new NodeHttpHandler(),
      })
    );
    const started = Date.now();

    // Act
    await Promise.all([
      ...Array.from({ length: 25 }, () => client.send(new DescribeStreamSummaryCommand({ StreamName: 's' }))),
      client.send(new ListStreamsCommand({})),
    ]);
    const elapsed = Date.now() - started;
    client.destroy();

    // Assess
    const describes = arrivals.filter(({ target }) => target.endsWith('DescribeStreamSummary')).map(({ at }) => at);
    const peak = Math.max(
      ...describes.map((start) => describes.filter((at) => at >= start && at < start + 1000).length)
    );
    expect(describes).toHaveLength(25);
    expect(peak).toBeLessThanOrEqual(10);
    expect(budget.peakPerSecond('DescribeStreamSummary')).toBe(10);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(budget.counts).toEqual({ DescribeStreamSummary: 25, ListStreams: 1 });
  }, 20_000);

  // CloudTrail LookupEvents: "The rate of lookup requests is limited to two per second, per account, per Region"
  // (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html): each region of an
  // account has its own two per second; two clients of one region share theirs.
  it('gives each region its own limiter for a per-region operation, shared by the clients of that region', async () => {
    // Prepare
    const limiters: CallRateLimiter[] = [];
    const budget = new ApiCallBudget(
      {},
      {},
      {
        ListStreams: () => {
          const limiter = new CallRateLimiter(2);
          limiters.push(limiter);
          return limiter;
        },
      }
    );
    const clientIn = (region: string) =>
      budget.install(
        new KinesisClient({
          endpoint,
          region,
          credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
          requestHandler: new NodeHttpHandler(),
        }),
        region
      );
    const clients = [clientIn('eu-west-1'), clientIn('eu-west-1'), clientIn('us-east-1')];

    // Act
    await Promise.all(clients.map((client) => client.send(new ListStreamsCommand({}))));
    for (const client of clients) client.destroy();

    // Assess
    expect(limiters).toHaveLength(2);
    expect(budget.counts).toEqual({ ListStreams: 3 });
  });
});
