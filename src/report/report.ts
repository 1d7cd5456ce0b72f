import { z } from 'zod/mini';
import { Compliance } from '../domain/compliance';
import { Outcome } from '../domain/outcome';
import { SEVERITIES } from './severity';

/** Outcomes a run adds to the reconciler's: applied but not confirmed, and never read. */
export const RunOutcome = { Unconfirmed: 'Unconfirmed', NotChecked: 'NotChecked' } as const;

const count = () => z.int().check(z.nonnegative());
const time = z.iso.datetime({ offset: true });
const nullableTime = z.nullable(time);

/** Streams per compliance (they add up to `streams`), then what the run did: remedies that failed, changes made and confirmed. */
const complianceCountsShape = {
  streams: count(),
  compliant: count().check(z.describe('Compliance Compliant: the desired key, or another key the policy accepts.')),
  nonCompliant: count().check(
    z.describe('Compliance NonCompliant: unencrypted, or a key the policy rejects (whatever the outcome).')
  ),
  exempt: count().check(z.describe('Compliance Exempt.')),
  notChecked: count().check(
    z.describe('Compliance NotChecked: never read (interrupted), unreadable, gone or being deleted.')
  ),
  failed: count().check(
    z.describe(
      'Outcome Failed or Unconfirmed: the remedy did not succeed (each stream is also counted by its compliance).'
    )
  ),
  changed: count(),
  confirmed: count(),
};

const encryptionTypeSchema = z.enum(['NONE', 'KMS']);

/** One stream of the report. Times are ISO-8601. */
const reportStreamSchema = z.strictObject({
  account: z.string().check(z.describe('12-digit account of the stream (from its ARN).')),
  region: z.string(),
  streamName: z.string().check(z.regex(/^[a-zA-Z0-9_.-]{1,128}$/)),
  streamArn: z.string().check(z.regex(/^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]+$/)),
  status: z
    .nullable(z.string())
    .check(z.describe('StreamStatus last read (after the change, when one was made and confirmed).')),
  encryptionType: z.nullable(encryptionTypeSchema),
  keyId: z.nullable(z.string()),
  desiredKeyId: z
    .nullable(z.string())
    .check(z.describe("The key the policy wants: the stream's key tag when honoured, else --key.")),
  outcome: z
    .enum([...Object.values(Outcome), RunOutcome.Unconfirmed, RunOutcome.NotChecked, 'Confirming'])
    .check(
      z.describe(
        'Reconciler outcome, or Unconfirmed (applied, not confirmed) / NotChecked (never read). Confirming: the deployed sweep applied the key and handed the stream to the confirm state machine (its Stream Encrypted event confirms it).'
      )
    ),
  compliance: z
    .enum(Compliance)
    .check(
      z.describe(
        'How the stream stands, apart from the outcome (src/domain/compliance.ts): Compliant (the desired key, or another key the policy accepts, e.g. a team key left alone), NonCompliant (unencrypted, or a key the policy rejects; an unencrypted stream whose desired key is unusable stays NonCompliant with outcome Failed), Exempt, NotChecked (never read, unreadable, gone or being deleted).'
      )
    ),
  severity: z
    .enum(SEVERITIES)
    .check(
      z.describe(
        'Attention first, from compliance and receivingWrites: critical (NonCompliant and receiving writes) > high (NonCompliant) > medium (NotChecked) > low (Exempt) > none (Compliant).'
      )
    ),
  receivingWrites: z
    .nullable(z.boolean())
    .check(
      z.describe(
        'CloudWatch AWS/Kinesis IncomingRecords summed over the 24 h before the run > 0; null when not read (refused, not available).'
      )
    ),
  exposedSince: nullableTime.check(
    z.describe(
      'For a stream found unencrypted: the last decryption seen (a StopStreamEncryption trigger), else its creation (StreamCreationTimestamp); null otherwise.'
    )
  ),
  enforceWouldRefuse: z
    .nullable(z.boolean())
    .check(
      z.describe(
        "Whether the write guard's SCP (writeGuard=enforce) would refuse producers' PutRecord/PutRecords to this stream, as the run left it (src/guard/guardRefusesWrite.ts, the policy's own rule): no guard tag kinesis-auto-encrypt:encrypted and, when exemptions are allowed, no kinesis-auto-encrypt:exempt=true. Null when the stream's tags were not read in bulk (CLI --tags stream)."
      )
    ),
  createdBy: z
    .nullable(z.string())
    .check(
      z.describe(
        'NonCompliant streams only: the CreateStream caller (userIdentity.arn) from CloudTrail LookupEvents (its 90 days); null when unknown, not allowed, or another compliance.'
      )
    ),
  fixCommand: z
    .string()
    .check(
      z.describe(
        "NonCompliant only (else empty): the command that fixes the stream, `kinesis-auto-encrypt sweep --stream <arn> --region <r>` with the run's deciding flags (--key, --stage, --override-foreign-keys, --key-policy-check, --profile, --endpoint-url, --accounts/--role-name), preceded by `aws kinesis remove-tags-from-stream … --tag-keys kinesis-auto-encrypt:key &&` when the stream's key tag names a key that cannot be used."
      )
    ),
  reason: z
    .string()
    .check(
      z.describe(
        'Why; a setting that decided is named as the reader sets it (CLI: its flags; deployed sweep: the deployment parameter).'
      )
    ),
  policy: z
    .string()
    .check(z.describe("The rule that decided: '<mode> / default key', '<mode> / key tag', 'exempt tag', or '-'.")),
  exemptionReason: z.nullable(z.string()),
  createdAt: nullableTime,
  changed: z.boolean().check(z.describe('This run applied a key (StartStreamEncryption).')),
  lastChange: nullableTime.check(
    z.describe("Last encryption change known: when this run's change was confirmed (ACTIVE, KMS, the key).")
  ),
  exposure: z
    .nullable(z.strictObject({ from: nullableTime, to: nullableTime, seconds: z.nullable(count()) }))
    .check(
      z.describe(
        'Window in which records may have been written unencrypted: from creation (an upper bound: the last StopStreamEncryption is in CloudTrail, not in the Kinesis API) until the confirmed change; to null = still open at the end of the run. Null when the stream is encrypted and nothing is known.'
      )
    ),
  error: z.nullable(z.strictObject({ name: z.string(), message: z.string() })),
});

/** `report.json`: the whole run; published JSON Schema `src/report/report.schema.json`. */
export const reportSchema = z
  .strictObject({
    schemaVersion: z
      .literal(2)
      .check(
        z.describe(
          'Version of this schema. 2: compliance (Compliant, NonCompliant, Exempt, NotChecked) apart from outcome; totals and summary count compliance, failed counts outcomes.'
        )
      ),
    tool: z.literal('kinesis-auto-encrypt'),
    command: z.enum(['audit', 'sweep']),
    sweepId: z.string().check(z.minLength(1)),
    startedAt: time,
    finishedAt: time,
    durationMs: count(),
    interrupted: z.boolean().check(z.describe('Stopped by SIGINT: streams not read are NotChecked.')),
    options: z.strictObject({
      regions: z.array(z.string()),
      accounts: z.nullable(z.array(z.string().check(z.regex(/^\d{12}$/)))),
      key: z.string(),
      describeRate: z.number().check(z.positive()),
      concurrency: z.int().check(z.minimum(1)),
      endpointUrl: z.nullable(z.string()),
      tags: z.enum(['bulk', 'stream']),
    }),
    totals: z.strictObject(complianceCountsShape),
    summary: z.array(z.strictObject({ account: z.string(), region: z.string(), ...complianceCountsShape })),
    streams: z.array(reportStreamSchema),
    writeGuard: z
      .strictObject({
        setting: z
          .nullable(z.enum(['off', 'prepare', 'enforce']))
          .check(z.describe("The deployment's writeGuard (deployed sweep); null when the run does not know it (CLI).")),
        wouldRefuse: count().check(z.describe('Streams with enforceWouldRefuse true.')),
        wouldRefuseReceivingWrites: count().check(
          z.describe(
            'Of those, the streams receiving writes (receivingWrites true): the producers enforce would break.'
          )
        ),
      })
      .check(
        z.describe(
          'What writeGuard=enforce would refuse (docs/write-guard.md, rollout: prepare, read this, then enforce); in every report, whatever the setting.'
        )
      ),
    errors: z
      .array(z.strictObject({ account: z.string(), region: z.string(), message: z.string() }))
      .check(z.describe('Account-region pairs that could not be read at all (no access, region not enabled…).')),
    apiCalls: z.record(z.string(), count()).check(z.describe('Requests sent (every attempt), by operation.')),
    peakDescribePerSecond: count().check(
      z.describe('Most DescribeStreamSummary calls sent by one account within any 1000 ms.')
    ),
    notes: z.array(z.string()),
  })
  .check(
    z.meta({
      $id: 'urn:kinesis-auto-encrypt:schema:report',
      title: 'kinesis-auto-encrypt report',
      description:
        'report.json written by `kinesis-auto-encrypt audit|sweep --out DIR`: one run over every stream of the given accounts and regions.',
    })
  );

/** `report.json`: the whole run. */
export type Report = z.infer<typeof reportSchema>;

/** One stream of the report. Times are ISO-8601. */
export type ReportStream = z.infer<typeof reportStreamSchema>;

/** Streams per compliance, plus failed remedies and changes made and confirmed. */
export type ComplianceCounts = Report['totals'];

/** Counts of one account and region. */
export type ReportSummaryRow = Report['summary'][number];

/** An EncryptionType the report schema lists, else null. */
export const encryptionTypeOf = (encryptionType: string | undefined): ReportStream['encryptionType'] => {
  const parsed = z.safeParse(encryptionTypeSchema, encryptionType);
  return parsed.success ? parsed.data : null;
};
