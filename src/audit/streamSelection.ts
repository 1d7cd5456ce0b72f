/** A Kinesis stream ARN: `arn:<partition>:kinesis:<region>:<account>:stream/<name>`. */
const STREAM_ARN = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/** The region and account an ARN names, undefined for a stream name; throws on neither. */
export const streamArnParts = (value: string): { region: string; account: string } | undefined => {
  const match = STREAM_ARN.exec(value);
  if (match !== null) return { region: match[1] as string, account: match[2] as string };
  if (STREAM_NAME.test(value)) return undefined;
  throw new Error(`"${value}" is neither a stream name nor a Kinesis stream ARN`);
};

/** The streams `--stream` names (by name or ARN); every stream when none is named. */
export const selectedStreams = <T extends { name: string; arn: string }>(
  streams: readonly T[],
  wanted: readonly string[] | undefined
): T[] => {
  if (wanted === undefined || wanted.length === 0) return [...streams];
  const names = new Set(wanted);
  return streams.filter((stream) => names.has(stream.name) || names.has(stream.arn));
};
