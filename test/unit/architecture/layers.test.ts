import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { layerViolations } from '../../helpers/layerViolations';

const REPO_ROOT = join(__dirname, '..', '..', '..');

const tree = (files: Record<string, string>): string => {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
};

describe('layers (DESIGN.md)', () => {
  it('the repository has no import that crosses a layer', () => {
    // Act
    const violations = layerViolations(REPO_ROOT);

    // Assess
    expect(violations).toEqual([]);
  });

  it.each([
    [
      'the domain imports the SDK',
      'src/domain/bad.ts',
      "import { KinesisClient } from '@aws-sdk/client-kinesis';",
      /pure/,
    ],
    [
      'the domain imports Powertools',
      'src/domain/bad.ts',
      "import { Logger } from '@aws-lambda-powertools/logger';",
      /pure/,
    ],
    ['the domain imports an adapter', 'src/domain/bad.ts', "import type { X } from '../aws/x';", /src\/aws/],
    [
      'an adapter imports the local cloud',
      'src/aws/bad.ts',
      "import { startLocalCloud } from '../local/localCloud';",
      /src\/local/,
    ],
    [
      'a handler imports the local cloud',
      'handlers/bad.ts',
      "const l = require('../src/local/gateway');",
      /src\/local/,
    ],
    [
      'parsing imports an SDK client',
      'src/events/bad.ts',
      "export { KMSClient } from '@aws-sdk/client-kms';",
      /no SDK clients/,
    ],
    ['a dynamic import of the local cloud', 'src/cli/bad.ts', "void import('../local/demo');", /src\/local/],
    ['the domain imports metrics', 'src/domain/bad.ts', "import { MetricName } from '../metrics/metricNames';", /pure/],
    [
      'metric names import Powertools',
      'src/metrics/bad.ts',
      "import { Metrics } from '@aws-lambda-powertools/metrics';",
      /no SDK or Powertools/,
    ],
  ])('fails on a deliberate violation: %s', (_label, file, text, rule) => {
    // Prepare
    const root = tree({ [file]: text, 'src/local/gateway.ts': "import { x } from '../domain/x';" });

    try {
      // Act
      const violations = layerViolations(root);

      // Assess
      expect(violations).toEqual([expect.objectContaining({ file, rule: expect.stringMatching(rule) })]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
