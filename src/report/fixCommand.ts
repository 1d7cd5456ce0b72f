import { Compliance } from '../domain/compliance';
import { Outcome } from '../domain/outcome';
import { PolicyTag } from '../domain/streamPolicy';
import type { ReportStream } from './report';

/** A shell word: left bare when safe, else single-quoted. */
const shellWord = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;

/**
 * The command that fixes a NonCompliant stream, empty for any other: `kinesis-auto-encrypt sweep --stream <arn>
 * --region <r>` with the run's flags that decide (`flags`: --key, --stage, --override-foreign-keys, --profile…). When
 * the stream's key tag named a key that could not be used (outcome Failed or Rejected under the key tag), the tag to remove
 * comes first (`aws kinesis remove-tags-from-stream`), then the sweep.
 */
export const fixCommandOf = (row: ReportStream, flags: readonly string[]): string => {
  if (row.compliance !== Compliance.NonCompliant) return '';
  const sweep = ['kinesis-auto-encrypt', 'sweep', '--stream', row.streamArn, '--region', row.region, ...flags]
    .map(shellWord)
    .join(' ');
  if ((row.outcome === Outcome.Failed || row.outcome === Outcome.Rejected) && row.policy.endsWith('/ key tag')) {
    const untag = [
      'aws',
      'kinesis',
      'remove-tags-from-stream',
      '--stream-arn',
      row.streamArn,
      '--tag-keys',
      PolicyTag.Key,
      '--region',
      row.region,
    ]
      .map(shellWord)
      .join(' ');
    return `${untag} && ${sweep}`;
  }
  return sweep;
};
