import type { DescribeStreamSummaryCommandOutput, EncryptionType, StreamStatus } from '@aws-sdk/client-kinesis';

/** A DescribeStreamSummary response for one shard, as Kinesis returns it. */
export const streamSummary = (
  streamArn: string,
  StreamStatus: StreamStatus,
  EncryptionType: EncryptionType | undefined = 'NONE',
  KeyId?: string
): Partial<DescribeStreamSummaryCommandOutput> => ({
  StreamDescriptionSummary: {
    StreamName: streamArn.split('/').at(-1) ?? '',
    StreamARN: streamArn,
    StreamStatus,
    EncryptionType,
    KeyId,
    RetentionPeriodHours: 24,
    // The time of the CreateStream call of the test events (test/helpers/createStreamEvent.ts).
    StreamCreationTimestamp: new Date('2026-11-25T10:00:00.400Z'),
    EnhancedMonitoring: [],
    OpenShardCount: 1,
  },
});
