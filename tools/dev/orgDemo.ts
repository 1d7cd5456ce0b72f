import { Outcome } from '../../src/domain/outcome';
import { Mode, PolicyTag } from '../../src/domain/streamPolicy';
import { TEAM_KEY_ALIAS } from './accountKeys';
import { DemoKind, type DemoStream } from './demo';
import type { Organisation } from './orgCloud';

/**
 * The streams of `npm start -- --org`: in the hub (its region and another member region) and in every member account
 * and region, each governed by the one hub function; `after` keeps at most 5 streams CREATING at once (kinesis-local's
 * limit).
 */
export const orgDemoStreams = (org: Organisation, mode: Mode = Mode.Enforce): DemoStream[] => {
  const encrypted = mode === Mode.Audit ? Outcome.NonCompliant : Outcome.Encrypted;
  const [first = 'us-east-1', second = first] = org.memberRegions;
  const [a = '', b = a, c = b] = org.members;
  const hub = { account: org.hubAccount, region: org.hubRegion };
  return [
    { ...hub, name: 'orders', kind: DemoKind.Plain, expected: encrypted },
    // The hub account outside its own region: forwarded to the hub bus (HubRegionsStackSet), its own credentials.
    ...(second === org.hubRegion
      ? []
      : [
          {
            account: org.hubAccount,
            region: second,
            name: 'hub-events',
            kind: DemoKind.Plain,
            expected: encrypted,
            after: 'orders',
          },
        ]),
    {
      account: a,
      region: first,
      name: 'clickstream',
      kind: DemoKind.OwnerUsesDefaultKey,
      expected: Outcome.AlreadyCompliant,
    },
    { account: a, region: second, name: 'payments', kind: DemoKind.Plain, expected: encrypted },
    { account: b, region: first, name: 'audit-log', kind: DemoKind.Plain, expected: encrypted },
    { account: c, region: second, name: 'team-analytics', kind: DemoKind.OwnerUsesTeamKey, expected: Outcome.Skipped },
    {
      account: c,
      region: first,
      name: 'legacy-feed',
      kind: DemoKind.Plain,
      expected: Outcome.Exempt,
      after: 'team-analytics',
      tags: { [PolicyTag.Exempt]: 'true', [PolicyTag.ExemptReason]: 'decommissioned in Q1' },
    },
    {
      account: a,
      region: second,
      name: 'analytics-events',
      kind: DemoKind.Plain,
      expected: encrypted,
      after: 'payments',
      tags: { [PolicyTag.Key]: TEAM_KEY_ALIAS },
    },
    { account: b, region: second, name: 'metrics', kind: DemoKind.Plain, expected: encrypted, after: 'audit-log' },
    // The drift repair in a member account: the hub's StartStreamEncryption there must not trigger itself.
    ...(mode === Mode.Audit
      ? []
      : [
          {
            account: b,
            region: first,
            name: 'inventory',
            kind: DemoKind.OwnerDecrypts,
            expected: Outcome.Encrypted,
            after: 'metrics',
          },
        ]),
  ];
};
