/** What DescribeStreamSummary tells about a stream. */
export interface StreamState {
  status: 'CREATING' | 'DELETING' | 'ACTIVE' | 'UPDATING' | string;
  encryptionType: 'NONE' | 'KMS' | string;
  keyId: string | undefined;
  /** `StreamCreationTimestamp` (ISO-8601), when Kinesis reported it. */
  createdAt?: string;
}
