import type { StreamPort } from '../domain/ports';
import type { StreamState } from '../domain/streamState';

/**
 * A {@link StreamPort} whose first `describe` of `streamArn` answers the state the sweep has just read (the
 * hand-over then costs no second DescribeStreamSummary); every other call goes to `port`.
 */
export const primedStreamPort = (port: StreamPort, streamArn: string, state: StreamState): StreamPort => {
  let primed: StreamState | undefined = state;
  return {
    describe: async (arn) => {
      if (arn !== streamArn || primed === undefined) return port.describe(arn);
      const first = primed;
      primed = undefined;
      return { ...first };
    },
    waitUntilSettled: (arn, maxWaitSeconds) => port.waitUntilSettled(arn, maxWaitSeconds),
    tags: (arn) => port.tags(arn),
    startEncryption: (arn, keyId) => port.startEncryption(arn, keyId),
    tag: (arn, tags) => port.tag(arn, tags),
    untag: (arn, keys) => port.untag(arn, keys),
  };
};
