/** The stream a CloudTrail record's `requestParameters` names: `streamName`, or what follows `:stream/` in `streamARN`. */
export const streamNameOf = (parameters: unknown): string | undefined => {
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  const { streamName, streamARN } = parameters as { streamName?: unknown; streamARN?: unknown };
  if (typeof streamName === 'string') return streamName;
  if (typeof streamARN === 'string') return streamARN.split(':stream/')[1];
  return undefined;
};
