import { parseArgs } from 'node:util';
import { streamArnParts } from '../audit/streamSelection';
import { STAGE_NAME } from '../config/stageSettings';
import { KeyPolicyMode } from '../domain/keyCheck';
import { classifyKeyId } from '../domain/keyId';
import { partitionOf } from '../events/partitionOf';

/** Bad usage: exit code 2 with the message and the usage text. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Output format of stdout (`--out` always writes all three files). */
export const Format = { Table: 'table', Json: 'json', Csv: 'csv' } as const;

export type Format = (typeof Format)[keyof typeof Format];

/** Parsed command line. */
export interface CliOptions {
  command: 'audit' | 'sweep';
  help: boolean;
  regions: string[] | 'all' | undefined;
  profile?: string;
  endpointUrl?: string;
  accounts?: string[];
  roleName?: string;
  /** A deployed stage whose published settings the run applies (`--stage`). */
  stage?: string;
  /** `--key`: the default key for every account and region (overrides the stage's). */
  key?: string;
  /** `--override-foreign-keys` (true) / `--no-override-foreign-keys` (false). */
  overrideForeignKeys?: boolean;
  keyPolicyCheck?: KeyPolicyMode;
  describeRate: number;
  concurrency: number;
  out?: string;
  format: Format;
  tags: 'bulk' | 'stream';
  confirmTimeoutSeconds: number;
  /** `--stream <arn|name>` (repeatable): only these streams. */
  streams?: string[];
}

const listOf = (values: string[] | undefined): string[] | undefined => {
  const items = (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim());
  return items.length === 0 ? undefined : items.filter((item) => item !== '');
};

const numberOf = (value: string | undefined, name: string, fallback: number, min: number, max: number): number => {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
};

const oneOf = <T extends string>(value: string | undefined, name: string, allowed: readonly T[], fallback: T): T => {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
};

const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/;

/**
 * Parses `kinesis-auto-encrypt <audit|sweep> [options]`. `sweep --dry-run` is `audit`.
 * @throws {UsageError} on an unknown command or option, or a value out of range
 */
export const cliOptions = (argv: readonly string[]): CliOptions => {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  const [verb, ...extra] = positionals;
  if (!help && verb !== 'audit' && verb !== 'sweep') {
    throw new UsageError(verb === undefined ? 'a command is required: audit or sweep' : `unknown command "${verb}"`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const regionList = listOf(values.region);
  if (regionList?.includes('all') && regionList.length > 1) throw new UsageError('--region all cannot be combined');
  for (const region of regionList ?? []) {
    if (region !== 'all' && !REGION.test(region)) throw new UsageError(`--region "${region}" is not a region code`);
    // A well-formed unknown code (us-east-9) would be answered by another region's endpoint, or not at all.
    if (region !== 'all' && partitionOf(region) === undefined) {
      throw new UsageError(`--region "${region}" is not a region the AWS SDK's partition data knows`);
    }
  }
  const accounts = listOf(values.accounts);
  for (const account of accounts ?? []) {
    if (!/^\d{12}$/.test(account)) throw new UsageError(`--accounts "${account}" is not a 12-digit account id`);
  }
  if (accounts !== undefined && values['role-name'] === undefined) {
    throw new UsageError('--accounts needs --role-name (the role assumed in each account)');
  }
  if (accounts === undefined && values['role-name'] !== undefined) throw new UsageError('--role-name needs --accounts');
  const key = values.key;
  if (key !== undefined && classifyKeyId(key) === undefined) {
    throw new UsageError(`--key "${key}" is not a KMS KeyId (key id, key ARN, alias ARN or alias/Name)`);
  }
  if (values.stage !== undefined && !STAGE_NAME.test(values.stage)) {
    throw new UsageError(`--stage "${values.stage}" is not a stage name (letters, digits and -)`);
  }
  if (values['override-foreign-keys'] === true && values['no-override-foreign-keys'] === true) {
    throw new UsageError('--override-foreign-keys and --no-override-foreign-keys cannot be combined');
  }
  const override =
    values['override-foreign-keys'] === true ? true : values['no-override-foreign-keys'] === true ? false : undefined;
  const keyPolicyCheck =
    values['key-policy-check'] === undefined
      ? undefined
      : oneOf(values['key-policy-check'], 'key-policy-check', Object.values(KeyPolicyMode), KeyPolicyMode.Enforce);
  const streams = listOf(values.stream);
  const arnRegions = new Set<string>();
  for (const stream of streams ?? []) {
    let parts: ReturnType<typeof streamArnParts>;
    try {
      parts = streamArnParts(stream);
    } catch (error) {
      throw new UsageError(`--stream ${(error as Error).message}`);
    }
    if (parts === undefined) continue;
    arnRegions.add(parts.region);
    if (regionList !== undefined && regionList[0] !== 'all' && !regionList.includes(parts.region)) {
      throw new UsageError(`--stream ${stream} is in region ${parts.region}, not in --region ${regionList.join(',')}`);
    }
    if (accounts !== undefined && !accounts.includes(parts.account)) {
      throw new UsageError(
        `--stream ${stream} is in account ${parts.account}, not in --accounts ${accounts.join(',')}`
      );
    }
  }
  // Without --region, streams named only by ARN are looked for in their own regions.
  const streamRegions =
    regionList === undefined &&
    streams !== undefined &&
    arnRegions.size > 0 &&
    streams.every((s) => s.startsWith('arn:'))
      ? [...arnRegions].sort()
      : undefined;
  if (values['endpoint-url'] !== undefined && !/^https?:\/\/\S+$/.test(values['endpoint-url'])) {
    throw new UsageError(`--endpoint-url must be an http(s) URL, got "${values['endpoint-url']}"`);
  }
  return {
    command: verb === 'sweep' && values['dry-run'] !== true ? 'sweep' : 'audit',
    help,
    regions: regionList?.[0] === 'all' ? 'all' : (regionList ?? streamRegions),
    ...(values.profile !== undefined && { profile: values.profile }),
    ...(values['endpoint-url'] !== undefined && { endpointUrl: values['endpoint-url'] }),
    ...(accounts !== undefined && { accounts }),
    ...(values['role-name'] !== undefined && { roleName: values['role-name'] }),
    ...(values.stage !== undefined && { stage: values.stage }),
    ...(key !== undefined && { key }),
    ...(override !== undefined && { overrideForeignKeys: override }),
    ...(keyPolicyCheck !== undefined && { keyPolicyCheck }),
    describeRate: numberOf(values['describe-rate'], 'describe-rate', 10, 0.1, 20),
    concurrency: Math.floor(numberOf(values.concurrency, 'concurrency', 8, 1, 64)),
    ...(values.out !== undefined && { out: values.out }),
    format: oneOf(values.format, 'format', Object.values(Format), Format.Table),
    tags: oneOf(values.tags, 'tags', ['bulk', 'stream'] as const, 'bulk'),
    confirmTimeoutSeconds: numberOf(values['confirm-timeout'], 'confirm-timeout', 600, 10, 3600),
    ...(streams !== undefined && { streams }),
  };
};

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      region: { type: 'string', multiple: true },
      profile: { type: 'string' },
      'endpoint-url': { type: 'string' },
      accounts: { type: 'string', multiple: true },
      'role-name': { type: 'string' },
      key: { type: 'string' },
      stage: { type: 'string' },
      'override-foreign-keys': { type: 'boolean' },
      'no-override-foreign-keys': { type: 'boolean' },
      'key-policy-check': { type: 'string' },
      'describe-rate': { type: 'string' },
      concurrency: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      tags: { type: 'string' },
      'confirm-timeout': { type: 'string' },
      'dry-run': { type: 'boolean' },
      stream: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });

/**
 * The flags of a run that decide what `sweep` does to a stream (and where it finds it), to repeat in a fix command:
 * --profile, --endpoint-url, --accounts/--role-name, --stage, --key, --override-foreign-keys, --key-policy-check.
 */
export const fixFlagsOf = (options: CliOptions): string[] => [
  ...(options.profile === undefined ? [] : ['--profile', options.profile]),
  ...(options.endpointUrl === undefined ? [] : ['--endpoint-url', options.endpointUrl]),
  ...(options.accounts === undefined
    ? []
    : ['--accounts', options.accounts.join(','), '--role-name', options.roleName ?? '']),
  ...(options.stage === undefined ? [] : ['--stage', options.stage]),
  ...(options.key === undefined ? [] : ['--key', options.key]),
  ...(options.overrideForeignKeys === undefined
    ? []
    : [options.overrideForeignKeys ? '--override-foreign-keys' : '--no-override-foreign-keys']),
  ...(options.keyPolicyCheck === undefined ? [] : ['--key-policy-check', options.keyPolicyCheck]),
];
