import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

interface Violation {
  rule: string;
  from: string;
  to: string;
  /** no-circular: the modules of the cycle, from the one after `from` back to `from`. */
  cycle?: string[];
}

/** The violations dependency-cruiser finds in `root` with the repository's `.dependency-cruiser.cjs` (as `npm run lint`). */
const cruise = (root: string): Violation[] => {
  const run = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', '.'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error !== undefined || run.stdout.trim() === '') {
    throw new Error(`dependency-cruiser did not run: ${run.error?.message ?? run.stderr}`);
  }
  const { summary } = JSON.parse(run.stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[] };
  };
  return summary.violations.map(({ rule, from, to, cycle }) => ({
    rule: rule.name,
    from,
    to,
    ...(cycle !== undefined && { cycle: cycle.map(({ name }) => name) }),
  }));
};

/** Files of the planted tree, and the rule each `bad` file must break. */
const PLANTED: [label: string, file: string, text: string, rule: string][] = [
  ['the domain imports the SDK', 'src/domain/sdk.ts', "import '@aws-sdk/client-kinesis';", 'domain-is-pure'],
  [
    'the domain imports Powertools',
    'src/domain/powertools.ts',
    "import { Logger } from '@aws-lambda-powertools/logger';\nexport const l = Logger;",
    'domain-is-pure',
  ],
  ['the domain imports an adapter', 'src/domain/adapter.ts', "import type { X } from '../aws/x';", 'domain-is-pure'],
  ['the domain imports the CLI', 'src/domain/cli.ts', "import type { X } from '../cli/x';", 'domain-is-pure'],
  ['the domain imports the report', 'src/domain/report.ts', "import type { X } from '../report/x';", 'domain-is-pure'],
  ['the domain imports metrics', 'src/domain/metrics.ts', "import type { X } from '../metrics/x';", 'domain-is-pure'],
  [
    'the key policy evaluator imports KMS',
    'src/keyPolicy/kms.ts',
    "import '@aws-sdk/client-kms';",
    'keyPolicy-is-pure',
  ],
  [
    'the key policy evaluator imports an adapter',
    'src/keyPolicy/adapter.ts',
    "import type { X } from '../aws/x';",
    'keyPolicy-is-pure',
  ],
  ['the guard policy imports the SDK', 'src/guard/sdk.ts', "import '@aws-sdk/client-kinesis';", 'guard-is-pure'],
  ['the guard policy imports the CLI', 'src/guard/cli.ts', "import type { X } from '../cli/x';", 'guard-is-pure'],
  [
    'parsing re-exports an SDK client',
    'src/events/sdk.ts',
    "export { KMSClient } from '@aws-sdk/client-kms';",
    'events-and-completion-without-sdk-clients',
  ],
  [
    'parsing imports the CLI',
    'src/events/cli.ts',
    "import type { X } from '../cli/x';",
    'events-and-completion-on-domain-only',
  ],
  [
    'completion building imports the CLI',
    'src/completion/cli.ts',
    "import type { X } from '../cli/x';",
    'events-and-completion-on-domain-only',
  ],
  [
    'metric names import Powertools',
    'src/metrics/powertools.ts',
    "import '@aws-lambda-powertools/metrics';",
    'metrics-without-sdk',
  ],
  ['metric names import an adapter', 'src/metrics/adapter.ts', "import type { X } from '../aws/x';", 'metrics-is-pure'],
  [
    'configuration imports an adapter',
    'src/config/adapter.ts',
    "import type { X } from '../aws/x';",
    'config-on-domain-and-events',
  ],
  [
    'the report imports an adapter',
    'src/report/adapter.ts',
    "import type { X } from '../aws/x';",
    'report-renders-only',
  ],
  ['an adapter imports the CLI', 'src/aws/cli.ts', "import type { X } from '../cli/x';", 'aws-not-cli-or-events'],
  ['src imports a handler', 'src/cli/handler.ts', "import '../../handlers/fine';", 'src-not-handlers'],
  [
    'src imports the local cloud package',
    'src/cli/localCloud.ts',
    "import { startLocalCloud } from '../../packages/local-cloud/src/localCloud';\nvoid startLocalCloud;",
    'product-not-dev-tree',
  ],
  [
    'a handler imports a dev tool',
    'handlers/tool.ts',
    "import type { X } from '../tools/dev/x';",
    'product-not-dev-tree',
  ],
  [
    'src imports a test helper',
    'src/sweep/test.ts',
    "import type { X } from '../../test/helpers/x';",
    'product-not-dev-tree',
  ],
  [
    'an adapter imports the local cloud package by name',
    'src/aws/local.ts',
    "import type { LocalGateway } from '@kinesis-auto-encrypt/local-cloud';\nexport type G = LocalGateway;",
    'product-not-dev-tree',
  ],
  [
    'a handler requires a dev tool',
    'handlers/local.ts',
    "const l = require('../tools/dev/x');",
    'product-not-dev-tree',
  ],
  ['a dynamic import of a dev tool', 'src/cli/local.ts', "void import('../../tools/dev/x');", 'product-not-dev-tree'],
  ['src imports an emulator', 'src/sweep/emulator.ts', "import 'dynalite';", 'product-not-emulators'],
  [
    'src imports iam-simulate (AGPL)',
    'src/aws/iamSimulate.ts',
    "import '@cloud-copilot/iam-simulate';",
    'product-not-emulators',
  ],
  ['src imports a devDependency', 'src/aws/devDependency.ts', "import 'yaml';", 'product-not-dev-dependencies'],
  [
    'the local cloud package imports src',
    'packages/local-cloud/src/domain.ts',
    "import type { X } from '../../../src/aws/x';",
    'local-cloud-standalone',
  ],
  [
    'a dev tool imports a test helper',
    'tools/dev/test.ts',
    "import type { X } from '../../test/helpers/x';",
    'tools-not-tests',
  ],
];

/** Two modules that need each other's types only (`import type`, erased by tsc): still a cycle. */
const CYCLE: Record<string, string> = {
  'src/domain/cycleA.ts': "import type { B } from './cycleB';\nexport interface A { b?: B }",
  'src/domain/cycleB.ts': "import type { A } from './cycleA';\nexport interface B { a?: A }",
};

/** Targets of the planted imports, and files that only import what their layer allows. */
const FINE: Record<string, string> = {
  'src/domain/fine.ts':
    "import { createHash } from 'node:crypto';\nimport { z } from 'zod';\nexport const f = [createHash, z];",
  'src/keyPolicy/fine.ts': "import type { X } from '../domain/x';\nexport type F = X;",
  'src/guard/fine.ts': "import type { X } from '../domain/x';\nexport type F = X;",
  'src/events/fine.ts': "import type { X } from '../domain/x';\nimport '@aws-sdk/util-endpoints';\nexport type F = X;",
  'src/aws/fine.ts': "import type { X } from '../keyPolicy/fine';\nimport '@aws-sdk/client-kms';\nexport type F = X;",
  'handlers/fine.ts':
    "import type { Handler } from 'aws-lambda';\nimport type { X } from '../src/cli/x';\nexport type F = [Handler, X];",
  'tools/dev/fine.ts':
    "import type { X } from '../../src/cli/x';\nimport '../../packages/local-cloud/src/localCloud';\nexport type F = X;",
  'packages/local-cloud/src/localCloud.ts': "import 'dynalite';\nexport const startLocalCloud = 1;",
  ...Object.fromEntries(
    ['domain', 'aws', 'cli', 'report', 'metrics', 'local'].map((folder) => [`src/${folder}/x.ts`, 'export type X = 1;'])
  ),
  'tools/dev/x.ts': 'export type X = 1;',
  'test/helpers/x.ts': 'export type X = 1;',
};

/** A tree of `files` beside the repository's package.json, tsconfig.json and node_modules. */
const tree = (files: Record<string, string>): string => {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const file of ['package.json', 'tsconfig.json']) copyFileSync(join(REPO_ROOT, file), join(root, file));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), `${text}\n`);
  }
  return root;
};

describe('layers (.dependency-cruiser.cjs, the layer table of docs/design.md)', () => {
  it('the repository has no import that crosses a layer, and no import cycle', () => {
    // Act
    const violations = cruise(REPO_ROOT);

    // Assess
    expect(violations).toEqual([]);
  });

  describe('a planted tree', () => {
    let violations: Violation[];

    beforeAll(() => {
      const root = tree({ ...FINE, ...CYCLE, ...Object.fromEntries(PLANTED.map(([, file, text]) => [file, text])) });
      try {
        violations = cruise(root);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    it.each(PLANTED)('fails on %s', (_label, file, _text, rule) => {
      // Assess
      expect(violations).toContainEqual(expect.objectContaining({ rule, from: file }));
    });

    it('fails on a type-only import cycle', () => {
      // Assess
      expect(violations).toContainEqual({
        rule: 'no-circular',
        from: 'src/domain/cycleA.ts',
        to: 'src/domain/cycleB.ts',
        cycle: ['src/domain/cycleB.ts', 'src/domain/cycleA.ts'],
      });
    });

    it('passes what each layer may import', () => {
      // Act
      const fine = violations.filter(({ from }) => from in FINE);

      // Assess
      expect(fine).toEqual([]);
    });
  });
});
