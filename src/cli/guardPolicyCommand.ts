import { parseArgs } from 'node:util';
import {
  DEFAULT_MEMBER_ROLE_NAME,
  GuardPolicyError,
  type GuardPolicyOptions,
  guardPolicy,
  type Partition,
} from '../guard/guardPolicy';

/** `kinesis-auto-encrypt guard-policy --help`. */
const GUARD_POLICY_USAGE = `Usage: kinesis-auto-encrypt guard-policy [options]

Prints the write guard's service control policy, minified (docs/write-guard.md).

  --partition <p>                  aws (default), aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc
  --member-role-name <name>        the stage parameter memberRoleName (default ${DEFAULT_MEMBER_ROLE_NAME}); the
                                   pipeline's roles are <name>, <name>-hub and <name>-sweep
  --break-glass-roles <arns>       principal ARN patterns that may remove the guard tag (repeatable or comma-separated)
  --exemption-approvers <arns>     principal ARN patterns that may set the exemption and key tags (idem)
  --allow-exemptions <true|false>  as the stage parameter allowExemptions (default true): exempt streams accept writes
  -h, --help                       this text

Exit codes: 0 the policy is printed; 2 bad usage, or the policy is over the SCP limit of 5,120 characters.`;

/** Where `guard-policy` writes. */
export interface GuardPolicyIo {
  stdout: { write: (text: string) => unknown };
  stderr: { write: (text: string) => unknown };
}

const listOf = (values: string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');

const optionsOf = (argv: readonly string[]): GuardPolicyOptions | 'help' => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      partition: { type: 'string' },
      'member-role-name': { type: 'string' },
      'break-glass-roles': { type: 'string', multiple: true },
      'exemption-approvers': { type: 'string', multiple: true },
      'allow-exemptions': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  if (positionals.length > 0) throw new GuardPolicyError(`unexpected argument "${positionals[0]}"`);
  const allow = values['allow-exemptions'] ?? 'true';
  if (allow !== 'true' && allow !== 'false') {
    throw new GuardPolicyError(`--allow-exemptions must be true or false, got "${allow}"`);
  }
  return {
    partition: (values.partition ?? 'aws') as Partition,
    memberRoleName: values['member-role-name'] ?? DEFAULT_MEMBER_ROLE_NAME,
    breakGlassRoles: listOf(values['break-glass-roles']),
    exemptionApprovers: listOf(values['exemption-approvers']),
    allowExemptions: allow === 'true',
  };
};

/**
 * `kinesis-auto-encrypt guard-policy [options]`: prints the SCP (minified JSON) and returns 0, or writes one line to
 * stderr and returns 2 (bad option, policy over the SCP size limit). Offline: no AWS call.
 */
export const runGuardPolicy = (argv: readonly string[], io: GuardPolicyIo): number => {
  try {
    const options = optionsOf(argv);
    if (options === 'help') {
      io.stdout.write(`${GUARD_POLICY_USAGE}\n`);
      return 0;
    }
    io.stdout.write(`${guardPolicy(options).minified}\n`);
    return 0;
  } catch (error) {
    const usage = error instanceof GuardPolicyError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    io.stderr.write(`kinesis-auto-encrypt guard-policy: ${(error as Error).message}\n`);
    return 2;
  }
};
