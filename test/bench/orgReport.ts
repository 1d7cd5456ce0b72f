import type { OrgBenchResult } from './orgBench';

/** Targets of the organisation load (issue 12). */
const ORG_TARGETS = { p95OverAccountSeconds: 0.3, assumeRolePerAccount: 1 } as const;

/** The organisation load next to the account load of the same size. */
export interface OrgComparison extends OrgBenchResult {
  /** p95 over the floor of the account deployment at the same load, ms (NaN when not run). */
  accountP95Ms: number;
}

const s = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'n/a');
const status = (ok: boolean): string => (ok ? 'met' : '**missed**');

/** Field of the machine-readable last line (`n/a` when the organisation load was not run). */
export const orgFinalFields = (org: OrgComparison | undefined): string =>
  `org_p95_overhead_s=${org === undefined ? 'n/a' : (org.result.overheadMs.p95 / 1000).toFixed(3)}` +
  (org === undefined
    ? ''
    : ` org_assume_role_per_account_env=${org.assumeRolePerAccount.perEnvironment} org_assume_role_per_account=${org.assumeRolePerAccount.function}`);

/** Target lines of the organisation load: name, measured, goal, status. */
export const orgTargetRows = (org: OrgComparison | undefined): string[][] => {
  if (org === undefined) return [];
  const delta = (org.result.overheadMs.p95 - org.accountP95Ms) / 1000;
  const { perEnvironment, function: byFunction, stateMachine } = org.assumeRolePerAccount;
  return [
    [
      `org p95 over floor at ${org.result.plan.streams.length} over ${org.locations} member account-regions, vs account`,
      `${s(org.result.overheadMs.p95)} s (account ${s(org.accountP95Ms)} s, ${delta >= 0 ? '+' : ''}${delta.toFixed(2)} s)`,
      `≤ account + ${ORG_TARGETS.p95OverAccountSeconds} s`,
      status(Number.isFinite(delta) && delta <= ORG_TARGETS.p95OverAccountSeconds),
    ],
    [
      'AssumeRole per member account (function, per execution environment / all; state machine)',
      `${perEnvironment} / ${byFunction}; ${stateMachine}`,
      `≤ ${ORG_TARGETS.assumeRolePerAccount} per credential cache`,
      status(perEnvironment <= 1 && stateMachine <= 1),
    ],
  ];
};

/** Method bullet of the organisation load (markdown). */
export const orgMethod = (org: OrgComparison | undefined): string[] =>
  org === undefined
    ? []
    : [
        `- **Organisation** (\`--org-load ${org.result.plan.streams.length}\`): the \`npm start -- --org\` layout (hub 111111111111/us-east-1, 3 members × 2 regions),`,
        `  the same pacing spread round-robin over the ${org.locations} member account-regions after a warm-up of one stream each (not measured; the account loads`,
        "  run after smaller loads in their accounts); every member's events forwarded to the hub bus, one function",
        `  (${org.instances} execution environments assumed roles) and one state machine in the hub. AssumeRole counted at the local STS per member account;`,
        '  each execution environment of the function has its own credential cache (as on Lambda), the state machine one per role.',
      ];
