import { DescribeStreamSummaryCommand, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../../../src/completion/sweep-completed.schema.json';
import {
  type LocalCloud,
  type LocalSweepResult,
  localKinesisClient,
  startLocalCloud,
  sweepExistingStreams,
} from '../../../tools/dev';
import { reportErrors } from '../../helpers/reportSchema';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
const validDetail = ajv.compile(schema);

const ACCOUNTS = ['111111111111', '222222222222'];
const STREAMS = 12;

describe('the deployed sweep on the local cloud (npm start -- --existing)', () => {
  let cloud: LocalCloud;
  let result: LocalSweepResult;
  const lines: string[] = [];

  beforeAll(async () => {
    cloud = await startLocalCloud({
      accounts: ACCOUNTS,
      pipeline: false,
      createDurationMs: 200,
      updateDurationMs: 500,
    });
    result = await sweepExistingStreams(cloud, STREAMS, (line) => lines.push(line));
  }, 300_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  it('publishes one Sweep Completed per account that validates against its schema', () => {
    // Assess
    expect(result.details.map(({ accountRegions }) => accountRegions.map(({ account }) => account)).sort()).toEqual(
      ACCOUNTS.map((account) => [account])
    );
    for (const detail of result.details) expect(validDetail(detail)).toBe(true);
    expect(
      result.details.map(({ streamsChecked, nonCompliantFound, changed, failed }) => ({
        streamsChecked,
        nonCompliantFound,
        changed,
        failed,
      }))
    ).toEqual([
      { streamsChecked: 6, nonCompliantFound: 6, changed: 6, failed: 0 },
      { streamsChecked: 6, nonCompliantFound: 6, changed: 6, failed: 0 },
    ]);
  });

  it('reads tags in bulk (tag:GetResources) and each stream once (one describe per stream; ARNs built, not described)', () => {
    // Assess
    for (const detail of result.details) {
      expect(detail.apiCalls.GetResources).toBe(1);
      expect(detail.apiCalls.ListTagsForStream).toBeUndefined();
      expect(detail.apiCalls.DescribeStreamSummary).toBe(STREAMS / ACCOUNTS.length);
      expect(detail.peakDescribePerSecond).toBeLessThanOrEqual(10);
    }
  });

  it('hands every unencrypted stream to the pipeline, whose state machine confirms each (Stream Encrypted)', async () => {
    // Prepare
    const states: string[] = [];

    // Act
    for (const account of ACCOUNTS) {
      const client = localKinesisClient(cloud.endpoint, account, 'us-east-1');
      const { StreamNames = [] } = await client.send(new ListStreamsCommand({}));
      for (const name of StreamNames) {
        const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
        states.push(`${StreamDescriptionSummary?.StreamStatus} ${StreamDescriptionSummary?.EncryptionType}`);
      }
      client.destroy();
    }

    // Assess
    expect(result.confirmed).toBe(STREAMS);
    expect(result.ok).toBe(true);
    expect(states).toEqual(Array.from({ length: STREAMS }, () => 'ACTIVE KMS'));
  });

  it("writes the CLI's report to the sweep bucket, valid against the report schema", () => {
    // Assess
    expect(result.reports).toHaveLength(ACCOUNTS.length);
    for (const report of result.reports) expect(reportErrors(report)).toEqual([]);
    expect(lines.join('\n')).toContain('Every change confirmed: 12/12.');
  });
});
