import { completionBase } from '../../src/completion/completionBase';
import type { ConfirmationInput } from '../../src/domain/confirmationInput';
import { CONFIRM_ENCRYPTION_ASL_PATH, type JsonValue, LOCAL_SUBSTITUTIONS, runStateMachine } from '../../tools/dev';
import { confirmationInputFixture } from '../helpers/confirmationInputFixture';

const KEY_ID = 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-4000-8000-000000000000';

const INPUT: ConfirmationInput = confirmationInputFixture({
  eventId: '6b4d5b6e-1f0a-4a55-9a52-1d8f5c2b7d10',
  streamArn: 'arn:aws:kinesis:us-east-1:111111111111:stream/bench',
  streamName: 'bench',
  account: '111111111111',
  region: 'us-east-1',
  keyId: KEY_ID,
  eventBusName: 'default',
  streamCreatedAt: '2026-01-01T00:00:00Z',
  appliedAt: '2026-01-01T00:00:01Z',
  applyLatencyMs: 1000,
});

/**
 * State transitions Step Functions Standard bills for one confirm-encryption execution that
 * polled `polls` times (the last poll sees ACTIVE + KMS + the key): the ASL is run with the local
 * runner and every state entered and every retry is counted.
 */
export const transitionsForPolls = async (polls: number): Promise<number> => {
  let calls = 0;
  let transitions = 0;
  const { result } = runStateMachine({
    definitionPath: CONFIRM_ENCRYPTION_ASL_PATH,
    substitutions: LOCAL_SUBSTITUTIONS,
    input: JSON.parse(JSON.stringify({ ...INPUT, completion: completionBase(INPUT) })) as JsonValue,
    waitTimeOverrides: { Backoff: 0 },
    taskHandlers: {
      DescribeStream: async () => {
        calls++;
        const done = calls >= polls;
        return {
          StreamDescriptionSummary: {
            StreamStatus: done ? 'ACTIVE' : 'UPDATING',
            EncryptionType: 'KMS',
            KeyId: KEY_ID,
          },
        };
      },
      PublishCompletion: async () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] }),
    },
    onTransition: () => {
      transitions++;
    },
  });
  const outcome = await result;
  if (outcome.status !== 'SUCCEEDED') throw new Error(`The counted execution ended ${outcome.status}`);
  return transitions;
};
