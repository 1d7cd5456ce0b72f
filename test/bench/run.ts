/**
 * `npm run bench [-- --quick]`: latency over the floor, AWS calls and cost per stream on the local
 * cloud, drift repair (StopStreamEncryption → re-encrypted) over its floor, plus the handler package's size and init time. Writes docs/benchmarks.md and
 * docs/benchmark-latency.svg; the last line printed is machine-readable.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type BenchDurations,
  benchCloudOptions,
  LAMBDA_MAX_INSTANCES,
  REPO_ROOT,
  startLocalCloud,
} from '../../tools/dev';
import { CallCounter } from './callCounter';
import { costPerStream, LAMBDA_MEMORY_MB } from './costModel';
import { type DriftPlan, type DriftResult, runDriftScenario } from './driftScenario';
import { exposureFinalFields, exposureMarkdown, loadNow, runExposureBench } from './exposureScenario';
import { measureHandlerPackage } from './handlerPackage';
import { runOrgBench } from './orgBench';
import type { OrgComparison } from './orgReport';
import { type OrgSweepResult, runOrgSweepBench } from './orgSweepScenario';
import { type PassThroughResult, runPassThroughLoad } from './passThroughLoad';
import { type BenchReport, finalLine, latencyChart, markdownReport, terminalReport } from './report';
import {
  ACCOUNT_POOL,
  MAX_CREATING_PER_ACCOUNT,
  REGION,
  runScenario,
  type ScenarioPlan,
  type ScenarioResult,
} from './scenario';
import { runSweepBench, type SweepBenchResult } from './sweepScenario';

/**
 * Instances per account started before the first load, one per stream an account has CREATING at once:
 * a local instance boots the TypeScript handler through tsx in seconds on a busy machine, far slower than
 * the bundled function on Lambda, so the bench keeps that artefact out of the latency. More cold-start on demand.
 */
const LAMBDA_WARM_INSTANCES = MAX_CREATING_PER_ACCOUNT;
/** Lambda gets one full vCPU at 1769 MB; at 256 MB init runs on about this share of it. */
const LAMBDA_CPU_SCALE = 1769 / LAMBDA_MEMORY_MB;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    loads: { type: 'string' },
    burst: { type: 'string' },
    duplicates: { type: 'string' },
    'create-ms': { type: 'string', default: '5000' },
    'update-ms': { type: 'string', default: '3000' },
    'cloudtrail-delay-ms': { type: 'string', default: '0' },
    drifts: { type: 'string' },
    runs: { type: 'string' },
    'org-load': { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
    sweep: { type: 'string' },
    exposure: { type: 'string' },
    'org-sweep': { type: 'string' },
    'pass-through': { type: 'string' },
  },
  allowPositionals: false,
});

const quick = values.quick ?? false;
const loads = (values.loads ?? (quick ? '1,10,20' : '1,10,50,200'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const burst = Number(values.burst ?? (quick ? 10 : 20));
const duplicateLoad = Number(values.duplicates ?? (quick ? 20 : 50));
const driftLoads = (values.drifts ?? (quick ? '1,10' : '1,20'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const durations: BenchDurations = {
  createMs: Number(values['create-ms']),
  updateMs: Number(values['update-ms']),
  cloudTrailDelayMs: Number(values['cloudtrail-delay-ms']),
};
const runs = Number(values.runs ?? (quick ? 5 : 9));
/** The organisation load: the headline load (50; 20 with --quick) over the member account-regions. */
const orgLoad = Number(values['org-load'] ?? (quick ? 20 : 50));
/** Streams of the sweep bench, over 4 accounts (0: no sweep bench). */
const sweepStreams = Number(values.sweep ?? (quick ? 200 : 1000));
/** The organisation sweep (200 member account-regions × 5 streams; 0: none). */
const orgSweep = Number(values['org-sweep'] ?? 1) > 0;
/** The headline load again with the pass-through function (0: none). */
const passThroughLoad = Number(values['pass-through'] ?? 1) > 0;

/** Streams of the exposure bench, with and without the write guard (0: none). */
const exposureStreams = Number(values.exposure ?? (quick ? 6 : 12));

const account = (index: number): string => `2000000${String(index + 1).padStart(5, '0')}`;
const BURST_ACCOUNT = '299999999999';

/** n streams in waves of 5 per account over min(ceil(n / 5), ACCOUNT_POOL) accounts, reused in turn. */
const spread = (id: string, count: number): ScenarioPlan['streams'] =>
  Array.from({ length: count }, (_, index) => ({
    account: account(Math.floor(index / MAX_CREATING_PER_ACCOUNT) % ACCOUNT_POOL),
    name: `bench-${id}-${index}`,
  }));

const plans: ScenarioPlan[] = [
  ...loads.map(
    (count): ScenarioPlan => ({
      id: `l${count}`,
      label: `${count}`,
      streams: spread(`l${count}`, count),
      mode: 'concurrent',
      duplicateDeliveries: 1,
    })
  ),
  ...(duplicateLoad > 0
    ? [
        {
          id: `d${duplicateLoad}`,
          label: `${duplicateLoad} ×3 delivered`,
          streams: spread(`d${duplicateLoad}`, duplicateLoad),
          mode: 'concurrent',
          duplicateDeliveries: 3,
        } satisfies ScenarioPlan,
      ]
    : []),
  ...(burst > 0
    ? [
        {
          id: `b${burst}`,
          label: `burst ${burst} in 1 account`,
          streams: Array.from({ length: burst }, (_, index) => ({
            account: BURST_ACCOUNT,
            name: `bench-b${burst}-${index}`,
          })),
          mode: 'paced',
          duplicateDeliveries: 1,
        } satisfies ScenarioPlan,
      ]
    : []),
];

const driftPlans: DriftPlan[] = driftLoads.map((count) => ({
  id: `r${count}`,
  label: `${count}`,
  streams: spread(`r${count}`, count),
}));

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const main = async (): Promise<void> => {
  const started = Date.now();
  const date = new Date().toISOString();
  log(
    `bench: ${quick ? 'quick' : 'full'} run; loads ${loads.join(', ')}; burst ${burst}; ×3 at ${duplicateLoad}; drifts ${driftLoads.join(', ')}; CREATING ${durations.createMs} ms, update ${durations.updateMs} ms`
  );

  log('bench: building and timing the handler package…');
  const handlerPackage = await measureHandlerPackage(runs);
  log(
    `bench: init bundled ${handlerPackage.bundledInitMs.toFixed(0)} ms, unbundled ${handlerPackage.unbundledInitMs.toFixed(0)} ms`
  );

  const accounts = [
    ...new Set([...plans, ...driftPlans].flatMap((plan) => plan.streams.map((stream) => stream.account))),
  ];
  const counter = new CallCounter();
  log(`bench: starting the local cloud with ${accounts.length} accounts…`);
  const cloud = await startLocalCloud({ accounts, regions: [REGION], ...benchCloudOptions(durations) });
  counter.install(cloud.gateway);
  const stateDir = cloud.stateDir;
  const results: ScenarioResult[] = [];
  const drifts: DriftResult[] = [];
  try {
    // One instance per stream an account has CREATING at once; more cold-start on demand.
    for (const id of accounts) await cloud.lambda.warm(id, REGION, LAMBDA_WARM_INSTANCES);
    await cloud.idle();
    log(`bench: local cloud ready in ${((Date.now() - started) / 1000).toFixed(0)} s (logs: ${cloud.stateDir})`);
    for (const plan of plans) {
      log(`bench: ${plan.label} (${plan.streams.length} streams)…`);
      const result = await runScenario(cloud, counter, plan, durations, log);
      results.push(result);
      log(
        `  p50 ${(result.overheadMs.p50 / 1000).toFixed(2)} s, p95 ${(result.overheadMs.p95 / 1000).toFixed(2)} s, max ${(result.overheadMs.max / 1000).toFixed(2)} s over floor; ` +
          `applies ${result.applies.min}–${result.applies.max}; peak Describe ${result.peakDescribeTps}/s; missing ${result.missing.length}; ${(result.wallMs / 1000).toFixed(0)} s`
      );
    }
    for (const plan of driftPlans) {
      log(`bench: ${plan.label} concurrent drifts…`);
      const drift = await runDriftScenario(cloud, counter, plan, durations, log);
      drifts.push(drift);
      log(
        `  drift p50 ${(drift.overheadMs.p50 / 1000).toFixed(2)} s, p95 ${(drift.overheadMs.p95 / 1000).toFixed(2)} s, max ${(drift.overheadMs.max / 1000).toFixed(2)} s over floor; ` +
          `applies ${drift.applies.min}–${drift.applies.max}; missing ${drift.missing.length}; ${(drift.wallMs / 1000).toFixed(0)} s`
      );
    }
  } finally {
    await cloud.stop();
  }
  let org: OrgComparison | undefined;
  if (orgLoad > 0) {
    log(`bench: ${orgLoad} streams in an organisation (hub + 3 members × 2 regions)…`);
    const orgResult = await runOrgBench(orgLoad, durations, log);
    const account = results.find(
      (r) => r.plan.mode === 'concurrent' && r.plan.duplicateDeliveries === 1 && r.plan.streams.length === orgLoad
    );
    org = { ...orgResult, accountP95Ms: account?.overheadMs.p95 ?? Number.NaN };
    const { result, assumeRolePerAccount } = orgResult;
    log(
      `  p50 ${(result.overheadMs.p50 / 1000).toFixed(2)} s, p95 ${(result.overheadMs.p95 / 1000).toFixed(2)} s over floor (account ${(org.accountP95Ms / 1000).toFixed(2)} s); ` +
        `applies ${result.applies.min}–${result.applies.max}; AssumeRole per account ${assumeRolePerAccount.perEnvironment} per environment, ${assumeRolePerAccount.function} in all, ${assumeRolePerAccount.stateMachine} by the state machine; missing ${result.missing.length}`
    );
  }
  let sweep: SweepBenchResult | undefined;
  if (sweepStreams > 0) {
    log(`bench: deployed sweep of ${sweepStreams} streams over 4 accounts…`);
    sweep = await runSweepBench(sweepStreams, log);
    log(`  sweep wall/floor ${sweep.floorRatio.toFixed(3)}, peak describe ${sweep.peakDescribeTps}/s per account`);
  }

  const exposure = exposureStreams > 0 ? await runExposureBench(exposureStreams, durations, log) : undefined;

  const concurrent = results.filter((r) => r.plan.mode === 'concurrent' && r.plan.duplicateDeliveries === 1);
  const headline =
    concurrent.find((r) => r.plan.streams.length === 50) ??
    [...concurrent].sort((a, b) => b.plan.streams.length - a.plan.streams.length)[0] ??
    results[0]!;
  let passThrough: PassThroughResult | undefined;
  if (passThroughLoad) {
    log(`bench: the headline load (${headline.plan.label}) with the pass-through function…`);
    passThrough = await runPassThroughLoad(headline.plan, durations, LAMBDA_WARM_INSTANCES, log);
    log(
      `  pass-through delivery → completion p50 ${(passThrough.latencyMs.p50 / 1000).toFixed(2)} s, p95 ${(passThrough.latencyMs.p95 / 1000).toFixed(2)} s; missing ${passThrough.missing}`
    );
  }
  let orgSwept: OrgSweepResult | undefined;
  if (orgSweep) {
    log('bench: organisation sweep of 200 member account-regions × 5 streams…');
    orgSwept = await runOrgSweepBench(log);
    log(
      `  wall ${(orgSwept.wallMs / 1000).toFixed(1)} s, pass-through ${(orgSwept.passThroughWallMs / 1000).toFixed(1)} s, floor ${(orgSwept.floorMs / 1000).toFixed(1)} s, net ratio ${orgSwept.floorRatioNet.toFixed(3)}, peak sockets ${orgSwept.peakSockets}`
    );
  }
  const initBilledMs = Math.ceil(handlerPackage.bundledInitMs * LAMBDA_CPU_SCALE);
  const usage = {
    lambdaRequests: headline.perStream.lambdaInvocations,
    lambdaBilledMs: headline.perStream.lambdaBilledMs + initBilledMs,
    sfnTransitions: headline.perStream.transitions,
    sfnExecutions: headline.perStream.startExecutions > 0 ? 1 : 0,
    sfnExecutionMs: headline.perStream.executionMs,
    dynamoWrites: headline.perStream.dynamoWrites,
    dynamoReads: headline.perStream.dynamoReads,
    customEvents: headline.perStream.putEvents,
    kmsRequests: headline.perStream.kmsRequests,
    logBytes: headline.perStream.logBytes,
  };
  // Worst stream in any load: the count farthest from exactly one apply.
  const applies = results.flatMap((r) => [r.applies.min, r.applies.max]);
  const appliesPerStream = applies.reduce((worst, v) => (Math.abs(v - 1) > Math.abs(worst - 1) ? v : worst), 1);
  const report: BenchReport = {
    date,
    quick,
    durations,
    lambdaInstances: { max: LAMBDA_MAX_INSTANCES, warm: LAMBDA_WARM_INSTANCES },
    accountPool: ACCOUNT_POOL,
    wallSeconds: (Date.now() - started) / 1000,
    scenarios: results,
    drifts,
    ...(org !== undefined && { org }),
    headline,
    handlerPackage,
    cost: { standard: costPerStream(usage, 'standard'), express: costPerStream(usage, 'express'), initBilledMs },
    appliesPerStream,
    peakDescribeTps: Math.max(...results.map((r) => r.peakDescribeTps)),
    ...(sweep !== undefined && { sweep }),
    net: {
      p95OverheadMs: headline.overheadMs.p95,
      ...(passThrough !== undefined && { passThrough }),
      ...(sweep !== undefined && { sweep }),
      ...(orgSwept !== undefined && { orgSweep: orgSwept }),
    },
  };
  if (!values['no-docs']) {
    const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
    const exposureSection = exposure === undefined ? [] : ['', ...exposureMarkdown(exposure, loadNow())];
    writeFileSync(
      join(REPO_ROOT, 'docs', 'benchmarks.md'),
      [markdownReport(report, command), ...exposureSection].join('\n')
    );
    writeFileSync(join(REPO_ROOT, 'docs', 'benchmark-latency.svg'), latencyChart(report));
    // Formatted as `npm run lint` checks it (Biome aligns the Markdown tables).
    execFileSync('npx', ['biome', 'format', '--write', join('docs', 'benchmarks.md')], {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    });
    log('bench: wrote docs/benchmarks.md and docs/benchmark-latency.svg');
  }
  writeFileSync(join(stateDir, 'bench.json'), JSON.stringify(report, null, 2));
  console.log(terminalReport(report));
  console.log(`${finalLine(report)}${exposureFinalFields(exposure)}`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  }
);
