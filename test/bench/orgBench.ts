import type { AssumeRoleRecord } from '../../tools/dev';
import {
  type BenchDurations,
  benchCloudOptions,
  governedLocations,
  ORG_DEFAULTS,
  organisationOf,
  startLocalCloud,
} from '../../tools/dev';
import { CallCounter } from './callCounter';
import { MAX_CREATING_PER_ACCOUNT, runScenario, type ScenarioResult } from './scenario';

/** The organisation load and what it cost in AssumeRole calls. */
export interface OrgBenchResult {
  result: ScenarioResult;
  /** Member account-regions the load is spread over. */
  locations: number;
  /** Hub function execution environments (each has its own credential cache). */
  instances: number;
  /** Most AssumeRole calls into one account: by the function in one execution environment, by the function in all, by the state machine. */
  assumeRolePerAccount: { perEnvironment: number; function: number; stateMachine: number };
}

const FUNCTION_ROLE = '/kinesis-auto-encrypt-local-EncryptStreamRole/';
const STATE_MACHINE_ROLE = '/kinesis-auto-encrypt-local-ConfirmEncryptionStateMachineRole/';

const mostPer = (calls: AssumeRoleRecord[], key: (call: AssumeRoleRecord) => string): number => {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(key(call), (counts.get(key(call)) ?? 0) + 1);
  return Math.max(0, ...counts.values());
};

/**
 * The `count`-stream load in an organisation (`npm start -- --org` layout: 3 members × 2 regions, the hub
 * function and state machine in the hub): streams spread round-robin over the member account-regions, with
 * the account bench's durations and pacing, after a warm-up of one stream per member account-region;
 * AssumeRole counted per account at the local STS (warm-up included).
 */
export const runOrgBench = async (
  count: number,
  durations: BenchDurations,
  log: (line: string) => void
): Promise<OrgBenchResult> => {
  const org = organisationOf({});
  const locations = governedLocations(org).filter(({ account }) => account !== org.hubAccount);
  const cloud = await startLocalCloud({ org: {}, ...benchCloudOptions(durations) });
  const counter = new CallCounter();
  counter.install(cloud.gateway);
  try {
    // As many warm environments as streams CREATING at once in the whole emulator, like one account's.
    await cloud.lambda.warm(org.hubAccount, org.hubRegion, MAX_CREATING_PER_ACCOUNT);
    await cloud.idle();
    const streamsOf = (id: string, n: number) =>
      Array.from({ length: n }, (_, index) => {
        const location = locations[index % locations.length] ?? {
          account: ORG_DEFAULTS.members[0],
          region: 'us-east-1',
        };
        return { ...location, name: `bench-${id}-${index}` };
      });
    // Warm-up, not measured: one stream per member account-region (the account loads, too, run after smaller
    // loads that used their accounts): first clients and credentials of each account in the hub.
    const warmUp = streamsOf('ow', locations.length);
    await runScenario(
      cloud,
      counter,
      { id: 'ow', label: 'warm-up', streams: warmUp, mode: 'concurrent', duplicateDeliveries: 1 },
      durations
    );
    const streams = streamsOf(`o${count}`, count);
    const result = await runScenario(
      cloud,
      counter,
      { id: `o${count}`, label: `${count} in an organisation`, streams, mode: 'concurrent', duplicateDeliveries: 1 },
      durations,
      log
    );
    const byFunction = cloud.sts.calls.filter((call) => call.callerArn.includes(FUNCTION_ROLE));
    const byStateMachine = cloud.sts.calls.filter((call) => call.callerArn.includes(STATE_MACHINE_ROLE));
    return {
      result,
      locations: locations.length,
      instances: new Set(byFunction.map((call) => call.callerSessionToken)).size,
      assumeRolePerAccount: {
        perEnvironment: mostPer(byFunction, (call) => `${call.account}/${call.callerSessionToken}`),
        function: mostPer(byFunction, (call) => call.account),
        stateMachine: mostPer(byStateMachine, (call) => call.account),
      },
    };
  } finally {
    await cloud.stop();
  }
};
