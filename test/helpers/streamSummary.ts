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
    StreamCreationTimestamp: new Date(),
    EnhancedMonitoring: [],
    OpenShardCount: 1,
  },
});
