import { z } from 'zod/mini';
import { Compliance } from '../domain/compliance';
import { DetailType, EVENT_SOURCE, Outcome } from '../domain/outcome';
import { Mode } from '../domain/streamPolicy';
import { Trigger } from '../domain/streamRequest';

/** ISO-8601 date-time (RFC 3339: seconds required, any offset), JSON Schema format `date-time`. */
const timestampSchema = z.iso.datetime({ offset: true });
const text = (description: string) => z.string().check(z.describe(description));
const nullableText = (description: string) => z.nullable(z.string()).check(z.describe(description));
const nullableTime = (description: string) => z.nullable(timestampSchema).check(z.describe(description));
const nullableCount = (description: string) =>
  z.nullable(z.int().check(z.nonnegative())).check(z.describe(description));

/** `StreamStatus` values of DescribeStreamSummary. */
const streamStatusSchema = z.enum(['CREATING', 'DELETING', 'ACTIVE', 'UPDATING']);
/** `EncryptionType` values of DescribeStreamSummary. */
const encryptionTypeSchema = z.enum(['NONE', 'KMS']);

/**
 * Every field of a completion detail; which outcome fills which is {@link verdictRules}. The `id`s here and on the
 * envelope make them `$defs` of the published schema: z.toJSONSchema inlines an intersection's members into every
 * branch of its union, but keeps a `$ref` member as it is.
 */
const completionDetailFields = z
  .strictObject({
    version: z
      .literal('3')
      .check(
        z.describe(
          'Schema version of this detail (2: trigger, actor, desiredKeyId, policy, exposureMs; 3: compliance).'
        )
      ),
    outcome: z.enum(Outcome).check(z.describe('What this trigger did, how it ended (src/domain/outcome.ts).')),
    compliance: z
      .enum(Compliance)
      .check(
        z.describe(
          'How the stream stands, whatever the outcome (src/domain/compliance.ts): Compliant (the desired key, or another key the policy accepts), NonCompliant (unencrypted, or a key the policy rejects; a key problem leaves an unencrypted stream NonCompliant with outcome Failed), Exempt, NotChecked (never read, unreadable, gone or being deleted; every Rejected event).'
        )
      ),
    reason: z
      .string()
      .check(
        z.minLength(1),
        z.describe(
          'Human-readable cause, always present; a setting that decided is named as its deployment parameter (e.g. mode=audit).'
        )
      ),
    eventId: nullableText('CloudTrail detail.eventID of the trigger call (null only when the event had none).'),
    streamArn: nullableText('ARN of the stream.'),
    streamName: nullableText('Name of the stream.'),
    account: nullableText('AWS account of the stream.'),
    region: nullableText('AWS Region of the stream.'),
    trigger: z
      .nullable(z.enum(Trigger))
      .check(z.describe('What made the pipeline look at the stream (tag calls as TagsChanged, a sweep as Sweep).')),
    actor: z
      .nullable(z.string().check(z.maxLength(2048)))
      .check(
        z.describe('Drift and tag triggers: userIdentity.arn of the caller (never access keys, IPs or user agents).')
      ),
    policy: z
      .nullable(z.strictObject({ mode: z.enum(Mode), keySource: z.enum(['default', 'tag']) }))
      .check(
        z.describe('Which rules decided: the mode, and where the desired key came from (default or the key tag).')
      ),
    keyId: nullableText('KMS KeyId that was (or would have been) applied, exactly as passed to StartStreamEncryption.'),
    desiredKeyId: nullableText('The key the policy wants on the stream (default or key tag); equals keyId.'),
    streamStatus: z
      .nullable(streamStatusSchema)
      .check(z.describe('Last StreamStatus seen, when a stream was read; null when it was never read.')),
    encryptionType: z
      .nullable(encryptionTypeSchema)
      .check(z.describe('Last EncryptionType seen, when a stream was read; null when it was never read.')),
    streamKeyId: nullableText(
      'KeyId the stream carried when last read (null when it had none, e.g. EncryptionType NONE, or was never read).'
    ),
    timestamps: z
      .strictObject({
        streamCreatedAt: nullableTime('CloudTrail eventTime of the trigger call.'),
        appliedAt: nullableTime('When StartStreamEncryption was accepted (null when not applied).'),
        confirmedAt: nullableTime(
          'When the stream was seen ACTIVE with the key (Encrypted / AlreadyCompliant; null otherwise). From the state machine: $$.State.EnteredTime of the state that built the event, right after the confirming poll.'
        ),
      })
      .check(z.describe('Points in time of the flow (ISO-8601).')),
    timeToEncryptedMs: nullableCount(
      'Trigger eventTime to confirmation in ms; null unless Encrypted / AlreadyCompliant. From the state machine it is applyLatencyMs plus the Backoff waits before the confirming poll, so it is measured at poll granularity: the stream reached ACTIVE with the key within the last wait before it, and the time spent in the calls themselves (typically well under a second) is not counted.'
    ),
    exposureMs: nullableCount(
      'Encrypted only: the window in which the stream accepted unencrypted writes, trigger eventTime → confirmation + settleSeconds, in ms (for a tag trigger a lower bound: the stream was open before it).'
    ),
    settleSeconds: z
      .int()
      .check(
        z.nonnegative(),
        z.describe(
          'Records written later than timestamps.confirmedAt plus this many seconds are encrypted (Kinesis documentation: 5).'
        )
      ),
    error: z
      .nullable(
        z.strictObject({
          name: z
            .string()
            .check(
              z.minLength(1),
              z.describe(
                'Error name, e.g. EncryptionMismatch, ConfirmationTimedOut, or the Step Functions error of a failed call such as Kinesis.AccessDeniedException.'
              )
            ),
          message: text('Error message.'),
        })
      )
      .check(z.describe('Machine-readable error when outcome is Failed or Rejected; null otherwise.')),
    exemption: z.optional(
      z
        .strictObject({ reason: z.string(), tags: z.record(z.string(), z.string()) })
        .check(z.describe("Exempt only: the exemption honoured — why, and the stream's kinesis-auto-encrypt:* tags."))
    ),
    guardTag: z.optional(
      z
        .strictObject({
          status: z
            .enum(['Set', 'Present', 'Removed', 'Failed'])
            .check(
              z.describe(
                'Set by this trigger, already Present with the value, Removed (stale or forged: the stream is not Compliant), or the tag call Failed.'
              )
            ),
          value: nullableText('The key ARN the tag carries (or was to carry); null for a removal.'),
          error: z
            .nullable(z.strictObject({ name: z.string().check(z.minLength(1)), message: z.string() }))
            .check(z.describe('Failed only: the error of the tag call (e.g. Kinesis.AccessDeniedException).')),
        })
        .check(
          z.describe(
            'Write guard on (writeGuard prepare or enforce): what this trigger did with the tag kinesis-auto-encrypt:encrypted, present exactly while the stream is Compliant (docs/write-guard.md). Absent when it did nothing with it.'
          )
        )
    ),
    issues: z.optional(
      z
        .array(z.strictObject({ path: z.string(), message: z.string() }))
        .check(z.maxLength(20), z.describe('Rejected only: every bad field of the event (dotted path and message).'))
    ),
    rejectedEvent: z.optional(
      z
        .unknown()
        .check(
          z.describe(
            'Rejected only: the event as received without identities (userIdentity, sourceIPAddress, userAgent, tlsDetails), strings capped at 1 KiB and the whole at 16 KiB ({truncated, preview} beyond).'
          )
        )
    ),
  })
  .check(z.meta({ id: 'CompletionDetailFields' }));

/** An outcome that neither confirms nor fails: no confirmation, no error. */
const unconfirmed = {
  timestamps: z.looseObject({ confirmedAt: z.null() }),
  timeToEncryptedMs: z.null(),
  error: z.null(),
};
/** A failed outcome: no confirmation, an error. */
const failure = {
  timestamps: z.looseObject({ confirmedAt: z.null() }),
  timeToEncryptedMs: z.null(),
  error: z.looseObject({}),
};

/**
 * Which fields the outcome fills: the confirmation (Encrypted, AlreadyCompliant), the error (Failed, Rejected), and
 * the compliance an outcome implies (a confirmed key is Compliant, an exemption Exempt, an audit finding NonCompliant,
 * a rejected event NotChecked; Skipped and Failed say nothing of it).
 */
const verdictRules = z.discriminatedUnion('outcome', [
  z.looseObject({
    outcome: z.enum([Outcome.Encrypted, Outcome.AlreadyCompliant]),
    compliance: z.literal(Compliance.Compliant),
    timestamps: z.looseObject({ confirmedAt: z.string() }),
    timeToEncryptedMs: z.number(),
    error: z.null(),
  }),
  z.looseObject({ outcome: z.literal(Outcome.Skipped), ...unconfirmed }),
  z.looseObject({ outcome: z.literal(Outcome.Exempt), compliance: z.literal(Compliance.Exempt), ...unconfirmed }),
  z.looseObject({
    outcome: z.literal(Outcome.NonCompliant),
    compliance: z.literal(Compliance.NonCompliant),
    ...unconfirmed,
  }),
  z.looseObject({ outcome: z.literal(Outcome.Failed), ...failure }),
  z.looseObject({ outcome: z.literal(Outcome.Rejected), compliance: z.literal(Compliance.NotChecked), ...failure }),
]);

/**
 * `detail` of a completion event, identical whether the Lambda or the state machine emits it: every field always
 * present (null where unknown), and only the outcomes that have them carry a confirmation or an error.
 */
const completionDetailSchema = z.intersection(completionDetailFields, verdictRules).check(
  z.meta({
    id: 'CompletionDetail',
    description:
      'CompletionDetail (src/completion/completionDetail.ts): identical whether the Lambda or the state machine publishes it. Every field is always present; null where unknown.',
  })
);

/**
 * `detail` of a completion event (published JSON Schema: `src/completion/completion-event.schema.json`). The type
 * lists every field; which outcome fills the confirmation and the error is checked by {@link completionDetailSchema}.
 */
export type CompletionDetail = z.infer<typeof completionDetailFields>;

/** The detail-type that goes with `outcome` ({@link DetailType}). */
const detailTypeOf = (outcome: Outcome) =>
  z.looseObject({
    'detail-type': z.literal(DetailType[outcome]),
    detail: z.looseObject({ outcome: z.literal(outcome) }),
  });

/** A completion event as EventBridge delivers it; the envelope fields other than source, detail-type and detail are EventBridge's. */
export const completionEventSchema = z
  .intersection(
    z
      .looseObject({
        version: z.optional(text('EventBridge envelope version.')),
        id: z.optional(text('Event id assigned by EventBridge.')),
        source: z.literal(EVENT_SOURCE).check(z.describe('Always kinesis-auto-encrypt.')),
        'detail-type': z
          .enum(DetailType)
          .check(
            z.describe(
              'One per outcome: Encrypted → Stream Encrypted, AlreadyCompliant → Stream Already Compliant, Skipped → Stream Skipped, Exempt → Stream Exempt, NonCompliant → Stream Non-Compliant, Failed → Stream Encryption Failed, Rejected → Event Rejected.'
            )
          ),
        account: z.optional(text('Account that published the event.')),
        time: z.optional(timestampSchema.check(z.describe('When the event was published.'))),
        region: z.optional(text('Region where the event was published.')),
        resources: z.optional(
          z
            .array(z.string())
            .check(
              z.describe(
                "Set by the publisher; the stream's ARN, like the Lambda's events (rules filtering on resources match both)."
              )
            )
        ),
        detail: completionDetailSchema,
      })
      .check(z.meta({ id: 'CompletionEventEnvelope' })),
    z.discriminatedUnion('detail-type', [
      detailTypeOf(Outcome.Encrypted),
      detailTypeOf(Outcome.AlreadyCompliant),
      detailTypeOf(Outcome.Skipped),
      detailTypeOf(Outcome.Exempt),
      detailTypeOf(Outcome.NonCompliant),
      detailTypeOf(Outcome.Failed),
      detailTypeOf(Outcome.Rejected),
    ])
  )
  .check(
    z.meta({
      $id: 'urn:kinesis-auto-encrypt:schema:completion-event',
      title: 'kinesis-auto-encrypt completion event',
      description:
        'EventBridge event published once per trigger, by the encrypt-stream Lambda (AlreadyCompliant, Skipped, Exempt, NonCompliant, Failed, Rejected) or by the confirm-encryption state machine (Encrypted, Skipped, Failed). The envelope fields other than source, detail-type and detail are set by EventBridge.',
    })
  );

/** `value` when `schema` accepts it, else null: what a detail field gets from a value the published schema refuses. */
const orNull = <T>(schema: z.ZodMiniType<T>, value: unknown): T | null => {
  const parsed = z.safeParse(schema, value);
  return parsed.success ? parsed.data : null;
};

/** A stream status the published schema lists, else null. */
export const streamStatusOf = (status: string | undefined) => orNull(streamStatusSchema, status);

/** An encryption type the published schema lists, else null. */
export const encryptionTypeOf = (encryptionType: string | undefined) => orNull(encryptionTypeSchema, encryptionType);

/** An ISO-8601 date-time, else null (e.g. the eventTime of a rejected event). */
export const timestampOf = (value: string | null) => orNull(timestampSchema, value);
