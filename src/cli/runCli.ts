import { KinesisClient } from '@aws-sdk/client-kinesis';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { preflightMessage } from '../audit/keyPreflight';
import { fixedKeySource } from '../audit/keySourceLabel';
import { callerAccount } from '../aws/cliSession';
import { AWS_MANAGED_KINESIS_ALIAS } from '../domain/keyId';
import type { Report } from '../report/report';
import { reportCsv } from '../report/reportCsv';
import { reportTable } from '../report/reportTable';
import { writeReport } from '../report/writeReport';
import { type CliOptions, cliOptions, Format, fixFlagsOf, UsageError } from './cliOptions';
import { cliSettings, settingsLines } from './cliSettings';
import { runGuardPolicy } from './guardPolicyCommand';
import { runSweep } from './runSweep';
import { type Stage, stageOf } from './stageOf';
import { type ProgressOutput, SweepProgress } from './sweepProgress';
import { USAGE } from './usage';

/** Exit codes of the CLI. */
const ExitCode = { Compliant: 0, NotCompliant: 1, Usage: 2 } as const;

/** Where the CLI writes and what it reads. */
export interface CliIo {
  stdout: ProgressOutput;
  stderr: ProgressOutput;
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  /** Credentials provider of a profile (default: the SDK's default chain). */
  credentialsFor?: (profile: string | undefined) => AwsCredentialIdentityProvider;
}

/** The credential sources the SDK's chain tried, for the exit-2 message. */
const sourceTried = (options: CliOptions, env: CliIo['env']): string => {
  const profile = options.profile ?? env.AWS_PROFILE;
  if (profile !== undefined) {
    const how = options.profile === undefined ? 'AWS_PROFILE' : '--profile';
    return `profile "${profile}" (${how}) in the shared config and credentials files (~/.aws/config, ~/.aws/credentials: keys, SSO, credential_process, role_arn)`;
  }
  return 'the SDK default credential chain: environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), the default profile of ~/.aws/config and ~/.aws/credentials (keys, SSO, credential_process), web identity token (AWS_WEB_IDENTITY_TOKEN_FILE), ECS container and EC2 instance metadata';
};

/**
 * Exit 0 when no stream is non-compliant, no remedy failed (every change confirmed), every account-region was read and
 * the run was not interrupted (streams never read). A stream gone or being deleted (NotChecked, Skipped) fails nothing.
 */
const exitCodeOf = (report: Report): number => {
  const { nonCompliant, failed } = report.totals;
  const clean = nonCompliant + failed === 0 && report.errors.length === 0 && !report.interrupted;
  return clean ? ExitCode.Compliant : ExitCode.NotCompliant;
};

const homeRegionOf = async (options: CliOptions): Promise<string | undefined> => {
  if (Array.isArray(options.regions)) return options.regions[0];
  try {
    return await new KinesisClient({
      ...(options.profile !== undefined && { profile: options.profile }),
    }).config.region();
  } catch {
    return options.regions === 'all' ? 'us-east-1' : undefined;
  }
};

/**
 * `kinesis-auto-encrypt …`: parses, checks the credentials, runs, prints and writes the report; returns the exit code.
 * `guard-policy` prints the write guard's SCP (no AWS call).
 */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  if (argv[0] === 'guard-policy') return runGuardPolicy(argv.slice(1), io);
  let options: CliOptions;
  try {
    options = cliOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`kinesis-auto-encrypt: ${error.message}\n\n${USAGE}\n`);
    return ExitCode.Usage;
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return ExitCode.Compliant;
  }
  const homeRegion = await homeRegionOf(options);
  if (homeRegion === undefined) {
    io.stderr.write("kinesis-auto-encrypt: no region: pass --region, or set AWS_REGION or the profile's region\n");
    return ExitCode.Usage;
  }
  const provider = (io.credentialsFor ?? ((profile) => defaultProvider(profile === undefined ? {} : { profile })))(
    options.profile
  );
  try {
    await provider();
  } catch (error) {
    io.stderr.write(
      `kinesis-auto-encrypt: no AWS credentials (${(error as Error).message}); tried ${sourceTried(options, io.env)}\n`
    );
    return ExitCode.Usage;
  }
  const session = {
    region: homeRegion,
    credentials: provider,
    ...(options.endpointUrl !== undefined && { endpoint: options.endpointUrl }),
  };
  let ownAccount: string;
  let stage: Stage | undefined;
  let key: { keyId: string; source: string };
  try {
    ownAccount = await callerAccount(session);
    if (options.stage !== undefined) stage = await stageOf(options.stage, { ...session, account: ownAccount });
  } catch (error) {
    io.stderr.write(`kinesis-auto-encrypt: ${(error as Error).message}\n`);
    return ExitCode.Usage;
  }
  // A flag over the stage's published settings over the deployment's defaults; each source said on stderr.
  const settings = cliSettings(options, stage?.settings);
  const keys =
    options.key !== undefined
      ? fixedKeySource(options.key, '--key')
      : (stage?.keys ?? fixedKeySource(AWS_MANAGED_KINESIS_ALIAS, 'default'));
  try {
    key = await keys.resolve();
  } catch (error) {
    io.stderr.write(`kinesis-auto-encrypt: ${(error as Error).message}\n`);
    return ExitCode.Usage;
  }
  for (const line of settingsLines({ key: { value: key.keyId, from: key.source }, ...settings })) {
    io.stderr.write(`${line}\n`);
  }
  const progress = new SweepProgress(io.stderr);
  const run = await runSweep(
    {
      command: settings.mode.value === 'audit' ? 'audit' : 'sweep',
      regions: options.regions ?? [homeRegion],
      ...(options.accounts !== undefined && { accounts: options.accounts }),
      ...(options.roleName !== undefined && { roleName: options.roleName }),
      ...(options.endpointUrl !== undefined && { endpointUrl: options.endpointUrl }),
      keys,
      keyLabel: key.keyId,
      policy: {
        overrideForeignKeys: settings.overrideForeignKeys.value,
        iacGraceSeconds: 0,
        allowExemptions: settings.allowExemptions.value,
        allowKeyTags: settings.allowKeyTags.value,
        keyBudgetReserve: settings.keyBudgetReserve.value,
        maxDriftRepairsPerDay: settings.maxDriftRepairsPerDay.value,
      },
      keyPolicyCheck: settings.keyPolicyCheck.value,
      ownAccount,
      describeRate: options.describeRate,
      concurrency: options.concurrency,
      tags: options.tags,
      confirmTimeoutSeconds: options.confirmTimeoutSeconds,
      maxWaitSeconds: 60,
      ...(options.streams !== undefined && { streams: options.streams }),
      fixFlags: fixFlagsOf(options),
    },
    { credentials: provider, homeRegion, signal: io.signal, progress }
  );
  if ('keyFailures' in run) {
    // One line per configured key that cannot be used; nothing was listed.
    for (const failure of run.keyFailures) io.stderr.write(`kinesis-auto-encrypt: ${preflightMessage(failure)}\n`);
    return ExitCode.Usage;
  }
  const { report } = run;
  if (options.format === Format.Json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (options.format === Format.Csv) io.stdout.write(reportCsv(report));
  else io.stdout.write(reportTable(report));
  if (options.out !== undefined) {
    const files = await writeReport(report, options.out);
    io.stderr.write(`report: ${files.join(', ')}\n`);
  }
  if (report.interrupted) {
    const { checked, changed, confirmed } = {
      checked: report.totals.streams - report.totals.notChecked,
      ...report.totals,
    };
    io.stderr.write(
      `interrupted: ${checked} streams checked, ${changed} changed, ${confirmed} confirmed before Ctrl-C\n`
    );
  }
  return exitCodeOf(report);
};
