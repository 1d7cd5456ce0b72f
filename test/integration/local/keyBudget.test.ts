import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { IDEMPOTENCY_TABLE } from '../../../tools/dev';
import { type Harness, startHarness } from './harness';

const ACCOUNT = '560000000006';
const REGION = 'us-east-1';

/**
 * "You can successfully apply a new AWS KMS key for server-side encryption 25 times in a rolling 24-hour
 * period" (StartStreamEncryption, API Limits: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html).
 */
describe('the daily key budget on the local cloud (dynalite)', () => {
  let harness: Harness;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    harness = await startHarness({ accounts: [ACCOUNT] });
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: harness.cloud.endpoint,
        region: REGION,
        credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'local' },
      })
    );
  }, 60_000);

  afterAll(async () => {
    documents?.destroy();
    await harness?.stop();
  });

  const seed = async (name: string, count: number): Promise<void> => {
    const applications = Array.from({ length: count }, (_, index) => ({
      at: new Date(Date.now() - (index + 1) * 60_000).toISOString(),
      keyId: 'alias/somebody-else',
      eventId: `seeded-${index}`,
      by: `arn:aws:iam::${ACCOUNT}:user/someone`,
    }));
    await documents.send(
      new PutCommand({
        TableName: IDEMPOTENCY_TABLE,
        Item: { id: `keys#arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`, applications },
      })
    );
  };

  it.each([
    [22, 'Encrypted', 1, 23],
    [23, 'Failed', 0, 23],
  ])(
    'with %i applications in the last 24 h the outcome is %s (%i applies), %i recorded after',
    async (seeded, outcome, applies, recorded) => {
      // Prepare
      const name = `budget-${seeded}`;
      await seed(name, seeded);

      // Act
      await harness.createStream(ACCOUNT, REGION, name);
      const completion = await harness.completionFor(ACCOUNT, REGION, name);
      await harness.cloud.idle();

      // Assess
      expect(completion.detail.outcome).toBe(outcome);
      expect(harness.cloudTrailFor(name, 'StartStreamEncryption')).toHaveLength(applies);
      if (outcome === 'Failed') expect(completion.detail.error?.name).toBe('KeyBudgetReserved');
      const { Item } = await documents.send(
        new GetCommand({
          TableName: IDEMPOTENCY_TABLE,
          Key: { id: `keys#arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}` },
        })
      );
      expect(((Item?.applications ?? []) as unknown[]).length).toBe(recorded);
    },
    60_000
  );
});
