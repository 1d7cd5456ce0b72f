/**
 * `npm start`: starts the local cloud, runs the demo, then stays up as a local AWS endpoint.
 * `npm start -- --help` lists the options.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_ACCOUNTS, DEFAULT_KEY_ALIAS, TEAM_KEY_ALIAS } from './accountKeys';
import { completionEventsFile } from './completionEvents';
import { demoStreams, runDemo } from './demo';
import { exposureLine } from './exposureLedger';
import type { LocalCloud } from './localCloud';
import { startLocalCloud } from './localCloud';
import { sweepExistingStreams } from './localSweep';
import { formatMetricTotals } from './metricTotals';
import { HUB_BUS_NAME } from './orgCloud';
import { orgDemoStreams } from './orgDemo';
import { bold, cyan, dim, green, metricsLine, red, seconds, summaryTable } from './progress';
import { replayFile } from './replay';
import { REPO_ROOT } from './repoRoot';
import { StreamWatcher } from './streamWatcher';

const USAGE = `Usage: npm start -- [options]

  --once                 exit after the demo (code 0 only if every stream ended as expected)
  --org                  organisation deployment: hub 111111111111/us-east-1 (one function, one state
                         machine, bus kinesis-auto-encrypt-hub), members 222222222222, 333333333333 and
                         444444444444 in us-east-1 and eu-west-1 forwarding to it (member/member.yml), a
                         local STS with the member roles; the demo runs in every account and region
  --duplicate <n>        deliver each event n times (idempotency demo)
  --create-ms <ms>       CREATING duration of new streams (default 1500)
  --update-ms <ms>       UPDATING duration of StartStreamEncryption (default 2000)
  --cloudtrail-delay-ms <ms>  CloudTrail delivery delay of the local CloudTrail recorder (default 5000;
                         0 with --event)
  --write-guard          enforce the write guard: the gateway decides every Kinesis call with the SCP of
                         \`kinesis-auto-encrypt guard-policy\` (iam-simulate), WRITE_GUARD=enforce; implies --org
                         (writeGuard=enforce needs deployment=org); --once exits 0 only if no record was
                         accepted unencrypted
  --iac-grace-ms <ms>    how long a stream created by an IaC engine (Terraform, CloudFormation, CDK…) is
                         left to it after ACTIVE before the default key is applied (default 15000: the AWS
                         CLI's stream-exists waiter polls every 10 s)
  --mode <enforce|audit> audit: never change a stream, report Stream Non-Compliant instead (MODE)
  --probe                after confirmation write one probe record and require EncryptionType KMS
                         in its PutRecord response (PROBE_AFTER_CONFIRM=true)
  --port <port>          gateway port (default: a free port)
  --no-pipeline          rules disconnected, no demo: streams stay as created (an account before deployment,
                         for \`npx kinesis-auto-encrypt audit|sweep --endpoint-url …\`)
  --existing <n>         seed n unencrypted streams over the accounts before the pipeline is connected, then
                         run the deployed sweep once (schedule → sweep state machine → sweep function)
  --events-file <path>   append every completion event, as published on the bus, to <path>: one JSON line each
  --event <file.json>    replay a saved EventBridge event or CloudTrail record, print the
                         completion event as JSON and exit (0: Encrypted / AlreadyCompliant)
  --help                 this text`;

/** Records per second the demo's producer writes to each new stream (issue 22: the exposure line). */
const PRODUCER_RECORDS_PER_SECOND = 10;

const number = (value: string | undefined, name: string, fallback: number, min = 0): number => {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`);
  return parsed;
};

const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      once: { type: 'boolean', default: false },
      org: { type: 'boolean', default: false },
      duplicate: { type: 'string' },
      'create-ms': { type: 'string' },
      'update-ms': { type: 'string' },
      'cloudtrail-delay-ms': { type: 'string' },
      'iac-grace-ms': { type: 'string' },
      mode: { type: 'string', default: 'enforce' },
      port: { type: 'string' },
      event: { type: 'string' },
      'events-file': { type: 'string' },
      probe: { type: 'boolean', default: false },
      'write-guard': { type: 'boolean', default: false },
      'no-pipeline': { type: 'boolean', default: false },
      existing: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    print(USAGE);
    return 0;
  }
  const writeGuard = values['write-guard'];
  // writeGuard=enforce needs deployment=org: the SCP exempts the pipeline's roles by their fixed names.
  const orgMode = values.org || writeGuard;
  if (orgMode && values['no-pipeline'])
    throw new Error('--org (or --write-guard) and --no-pipeline cannot be combined');
  if (writeGuard && values.mode === 'audit')
    throw new Error('--write-guard needs --mode enforce (audit tags nothing, so every write would be refused)');
  if (values.mode !== 'enforce' && values.mode !== 'audit')
    throw new Error(`--mode must be enforce or audit, got "${values.mode}"`);
  const options = {
    duplicateDeliveries: number(values.duplicate, 'duplicate', 1, 1),
    createDurationMs: number(values['create-ms'], 'create-ms', 1500),
    updateDurationMs: number(values['update-ms'], 'update-ms', 2000),
    cloudTrailDelayMs: number(
      values['cloudtrail-delay-ms'],
      'cloudtrail-delay-ms',
      values.event === undefined ? 5000 : 0
    ),
    ...(values.port !== undefined && { port: number(values.port, 'port', 0, 1) }),
    environment: {
      IAC_GRACE_SECONDS: String(number(values['iac-grace-ms'], 'iac-grace-ms', 15_000) / 1000),
      MODE: values.mode,
      ...(values.probe && { PROBE_AFTER_CONFIRM: 'true' }),
    },
  };

  if (values.event !== undefined) {
    if (values['events-file'] !== undefined)
      throw new Error('--events-file does not apply to --event (the replay prints its completion event)');
    return replayFile(values.event, options);
  }
  const existing = number(values.existing, 'existing', 0);
  if (orgMode && existing > 0)
    throw new Error('--org (or --write-guard) and --existing cannot be combined (the local sweep runs per account)');
  if (writeGuard && values.event !== undefined) throw new Error('--write-guard does not apply to --event');

  // Created before the cloud starts, so a path that cannot be written stops nothing; relative to the caller's folder.
  const recordCompletion =
    values['events-file'] === undefined
      ? undefined
      : completionEventsFile(resolve(process.env.INIT_CWD ?? process.cwd(), values['events-file']));

  const started = Date.now();
  print(bold('kinesis-auto-encrypt — local cloud'));
  print(dim('Starting kinesis-local, dynalite, KMS, SSM, EventBridge, Step Functions and the Lambda runtime…'));
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      ...options,
      ...(orgMode
        ? { org: {}, writeGuard }
        : { accounts: DEFAULT_ACCOUNTS, pipeline: !values['no-pipeline'] && existing === 0 }),
    });
  } catch (error) {
    process.stderr.write(
      `${red('Cannot start the local cloud:')} ${error instanceof Error ? error.message : String(error)}\n`
    );
    return 1;
  }
  let stopping = false;
  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      print(dim('\nStopping the local cloud…'));
      await cloud.stop();
    }
    process.exit(code);
  };
  if (recordCompletion !== undefined) cloud.bus.on('event', recordCompletion);
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  print(`Ready in ${seconds(Date.now() - started)}`);
  print(`  gateway       ${cyan(cloud.endpoint)}  (Kinesis, DynamoDB, KMS, SSM, EventBridge, Step Functions)`);
  const { org } = cloud;
  if (org !== undefined) {
    print(`  hub           ${org.hubAccount}/${org.hubRegion}: one function and state machine, bus ${HUB_BUS_NAME}`);
    const hubElsewhere = org.memberRegions.filter((region) => region !== org.hubRegion);
    if (hubElsewhere.length > 0) {
      print(
        `                ${org.hubAccount} in ${hubElsewhere.join(', ')}: forwards to the hub bus (HubRegionsStackSet)`
      );
    }
    print(`  members       ${org.members.join(', ')} in ${org.memberRegions.join(', ')} (${org.organizationId})`);
    print(`  member role   ${org.memberRoleName} (AssumeRole on the local STS, trust policy of member/member.yml)`);
  } else {
    print(`  accounts      ${cloud.accounts.map(({ account, region }) => `${account}/${region}`).join(', ')}`);
  }
  print(
    `  keys          ${DEFAULT_KEY_ALIAS} (default, DEFAULT_KMS_KEY_ID) and ${TEAM_KEY_ALIAS} (a team's own) in each`
  );
  print(
    `  durations     CREATING ${seconds(options.createDurationMs)}, encryption update ${seconds(options.updateDurationMs)}` +
      (options.duplicateDeliveries > 1 ? `, each event delivered ×${options.duplicateDeliveries}` : '') +
      `, CloudTrail delay ${seconds(options.cloudTrailDelayMs)}`
  );
  if (writeGuard) {
    print(
      `  write guard   the guard-policy SCP on every Kinesis call (AccessDeniedException until the pipeline's tag)`
    );
  }
  print(`  handler logs  ${relative(REPO_ROOT, cloud.logFile)}  (Powertools JSON)`);
  if (values['no-pipeline']) {
    print(`${bold('Pipeline disconnected:')} streams stay as created. Audit them with the CLI:`);
    print(
      `  AWS_ACCESS_KEY_ID=111111111111 AWS_SECRET_ACCESS_KEY=x npx kinesis-auto-encrypt audit --endpoint-url ${cloud.endpoint} --region us-east-1 --out report`
    );
    return new Promise<number>(() => undefined);
  }
  const swept = existing > 0 && !values['no-pipeline'] ? await sweepExistingStreams(cloud, existing, print) : undefined;
  print();
  print(bold(org === undefined ? 'Demo: new streams in three accounts' : 'Demo: new streams across the organisation'));

  const demoStart = Date.now();
  const watcher = new StreamWatcher(cloud, print, demoStart);
  let ok: boolean;
  let exposed = 0;
  try {
    const streams = org === undefined ? demoStreams(DEFAULT_ACCOUNTS, values.mode) : orgDemoStreams(org, values.mode);
    const result = await runDemo(cloud, watcher, streams, {
      writeGuard,
      recordsPerSecond: PRODUCER_RECORDS_PER_SECOND,
    });
    exposed = result.exposure.exposedRecords;
    ok = result.ok;
    print();
    print(bold('Summary'));
    print(summaryTable(result.rows));
    print(`  metrics  ${formatMetricTotals(result.metrics)}`);
    print(exposureLine(result.exposure));
    if (writeGuard && exposed > 0) {
      print(red(`${exposed} record(s) were accepted unencrypted although the write guard was on.`));
    }
    if (cloud.failures.length > 0) {
      print(
        red(
          `${cloud.failures.length} invocation(s) failed after retries; see ${relative(REPO_ROOT, cloud.failureFile)}`
        )
      );
    }
    print(ok ? green('Every stream ended as expected.') : red('Some streams did not end as expected.'));
  } catch (error) {
    print(red(`Demo failed: ${error instanceof Error ? error.message : String(error)}`));
    ok = false;
  }

  if (values.once) {
    watcher.stop();
    return shutdown(ok && (swept?.ok ?? true) && !(writeGuard && exposed > 0) ? 0 : 1);
  }

  watcher.autoWatch();
  // One line a minute while the cloud stays up.
  setInterval(() => print(metricsLine(demoStart, cloud.metricTotals())), 60_000).unref();
  print();
  print(`${bold('The local cloud stays up.')} Create streams with any client; their completion events show here:`);
  print();
  const [account, region] =
    org === undefined ? ['111111111111', 'us-east-1'] : [org.members[0], org.memberRegions.at(-1)];
  print(
    `  AWS_ACCESS_KEY_ID=${account} AWS_SECRET_ACCESS_KEY=x aws kinesis create-stream --stream-name demo --shard-count 1 --region ${region} --endpoint-url ${cloud.endpoint}`
  );
  print();
  const accounts = org === undefined ? DEFAULT_ACCOUNTS : [org.hubAccount, ...org.members];
  print(dim(`  The access key id picks the account (${accounts.join(', ')}). Ctrl-C stops everything.`));
  if (org !== undefined)
    print(dim(`  Every member's events reach the hub bus; the hub function prints each completion here.`));
  return new Promise<number>(() => undefined);
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${red('Error:')} ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
);
