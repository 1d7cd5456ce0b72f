/** What the pipeline needs from a successful CreateStream event. */
export interface CreateStreamRequest {
  eventId: string;
  /** CloudTrail eventTime (ISO-8601). */
  eventTime: string;
  account: string;
  region: string;
  partition: string;
  streamName: string;
  streamArn: string;
}
