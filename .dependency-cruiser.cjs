/**
 * The layer table of docs/design.md, checked by dependency-cruiser (`npm run lint`, and
 * test/unit/architecture/layers.test.ts, which also shows each rule failing on a planted violation).
 *
 * | folder                  | may import                                                                  |
 * | ----------------------- | --------------------------------------------------------------------------- |
 * | handlers/               | everything in src/ (and SDK, Powertools, npm runtime dependencies)          |
 * | src/domain/             | itself, zod, node: built-ins                                                |
 * | src/keyPolicy/          | itself, domain                                                              |
 * | src/guard/              | itself, domain                                                              |
 * | src/events/             | itself, domain (no SDK client, no Powertools)                               |
 * | src/completion/         | itself, domain (no SDK client, no Powertools)                               |
 * | src/metrics/            | itself, domain, completion (no SDK, no Powertools)                          |
 * | src/config/             | itself, domain, events                                                      |
 * | src/report/             | not aws, cli, sweep, config (no SDK client, no Powertools)                  |
 * | src/aws/                | not cli, events; of src/report types only (adapters store, never render)    |
 * | src/audit/              | domain, events, report, aws, guard (the engine the CLI and the deployed sweep share)|
 * | src/sweep/, src/cli/    | as their role needs; src/sweep and handlers/sweep.ts never src/cli          |
 * | packages/local-cloud/   | itself and emulator packages; never src/, handlers/, tools/, test/          |
 * | tools/dev/              | packages/, src/, handlers/                                                  |
 *
 * Nothing under handlers/ or src/ imports handlers/ (src), packages/, tools/, test/, a devDependency or an
 * emulator package. No import cycle anywhere; `import type` counts (tsPreCompilationDeps).
 */

/** A regular expression for npm packages, resolved (`node_modules/<name>/…`) or not (`<name>`). */
const npm = (...names) => `(^|(^|/)node_modules/)(${names.join('|')})(/|$)`;

const SDK_CLIENTS_AND_POWERTOOLS = npm('@aws-sdk/client-[^/]+', '@aws-lambda-powertools/[^/]+');
const SDK_AND_POWERTOOLS = npm('@aws-sdk/[^/]+', '@aws-lambda-powertools/[^/]+');
/** The local cloud (its package and emulators), browsers and dev-only oracles (iam-simulate is AGPL-3.0). */
const EMULATORS = npm(
  'kinesis-local',
  'dynalite',
  'aws-local-stepfunctions',
  'jsonata',
  '@cloud-copilot/iam-simulate',
  'amazon-states-language-service',
  'playwright-core',
  '@sparticuz/chromium',
  '@kinesis-auto-encrypt/local-cloud'
);
/** What ships: handlers/ and src/. */
const PRODUCT = { path: '^(handlers|src)/' };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycle (type-only imports included): move the shared type to the module both sides import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain imports itself, zod and node: built-ins only (no SDK, no Powertools, nothing else in src).',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', npm('zod')], dependencyTypesNot: ['core'] },
    },
    {
      name: 'keyPolicy-is-pure',
      severity: 'error',
      comment: 'src/keyPolicy evaluates key policies without I/O: it imports itself and src/domain only.',
      from: { path: '^src/keyPolicy/' },
      to: { pathNot: '^src/(keyPolicy|domain)/' },
    },
    {
      name: 'guard-is-pure',
      severity: 'error',
      comment: 'src/guard builds the write guard SCP without I/O: it imports itself and src/domain only.',
      from: { path: '^src/guard/' },
      to: { pathNot: '^src/(guard|domain)/' },
    },
    {
      name: 'events-and-completion-on-domain-only',
      severity: 'error',
      comment: 'src/events and src/completion import the domain (and themselves), no other folder.',
      from: { path: '^src/(events|completion)/' },
      to: { path: '^(src|handlers|packages|tools|test)/', pathNot: '^src/(domain|$1)/' },
    },
    {
      name: 'events-and-completion-without-sdk-clients',
      severity: 'error',
      comment: 'No SDK clients or Powertools in parsing and completion building.',
      from: { path: '^src/(events|completion)/' },
      to: { path: SDK_CLIENTS_AND_POWERTOOLS },
    },
    {
      name: 'metrics-is-pure',
      severity: 'error',
      comment:
        'Metric names and the completion → metrics mapping import the domain and completion only; ' +
        'src/aws/completionMetricsPublisher.ts writes them with Powertools.',
      from: { path: '^src/metrics/' },
      to: { path: '^(src|handlers|packages|tools|test)/', pathNot: '^src/(metrics|domain|completion)/' },
    },
    {
      name: 'metrics-without-sdk',
      severity: 'error',
      comment: 'No SDK or Powertools in metric names and mapping.',
      from: { path: '^src/metrics/' },
      to: { path: SDK_AND_POWERTOOLS },
    },
    {
      name: 'config-on-domain-and-events',
      severity: 'error',
      comment: 'src/config reads the environment into the domain types (with the event parsing defaults).',
      from: { path: '^src/config/' },
      to: { path: '^(src|handlers|packages|tools|test)/', pathNot: '^src/(config|domain|events)/' },
    },
    {
      name: 'report-renders-only',
      severity: 'error',
      comment: 'src/report renders rows: no adapters, CLI, sweep or configuration, no SDK client or Powertools.',
      from: { path: '^src/report/' },
      to: { path: [`^src/(aws|cli|sweep|config)/`, SDK_CLIENTS_AND_POWERTOOLS] },
    },
    {
      name: 'aws-not-cli-or-events',
      severity: 'error',
      comment: 'The adapters implement domain ports; they do not import the CLI or the event parsing.',
      from: { path: '^src/aws/' },
      to: { path: '^src/(cli|events)/' },
    },
    {
      name: 'audit-not-cli-or-sweep',
      severity: 'error',
      comment:
        'src/audit is the engine the CLI and the deployed sweep share (enumeration, per-stream check, key ' +
        'pre-flight): it imports neither of them.',
      from: { path: '^src/audit/' },
      to: { path: '^src/(cli|sweep)/' },
    },
    {
      name: 'sweep-not-cli',
      severity: 'error',
      comment:
        'The deployed sweep (src/sweep, handlers/sweep.ts) runs the shared engine of src/audit, nothing of the CLI.',
      from: { path: '^(src/sweep/|handlers/sweep\\.ts$)' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'aws-stores-not-renders',
      severity: 'error',
      comment:
        'An adapter stores the bytes it is given: the report is rendered (json, csv, html) by its caller with ' +
        'src/report, never inside src/aws (type-only imports of the report are fine).',
      from: { path: '^src/aws/' },
      to: { path: '^src/report/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'src-not-handlers',
      severity: 'error',
      comment: 'Handlers are entry points: nothing in src imports them.',
      from: { path: '^src/' },
      to: { path: '^handlers/' },
    },
    {
      name: 'product-not-dev-tree',
      severity: 'error',
      comment:
        'handlers/ and src/ ship: they never import packages/ (the local cloud, by path or by its package name, ' +
        'which resolves to packages/local-cloud), tools/ or test/.',
      from: PRODUCT,
      to: { path: ['^(packages|tools|test)/', '(^|/)packages/local-cloud/'] },
    },
    {
      name: 'product-not-emulators',
      severity: 'error',
      comment: 'Emulators, browsers and iam-simulate (AGPL-3.0) are development only and never reach a bundle.',
      from: PRODUCT,
      to: { path: EMULATORS },
    },
    {
      name: 'product-not-dev-dependencies',
      severity: 'error',
      comment: 'handlers/ and src/ import runtime dependencies only (type-only imports of @types are fine).',
      from: PRODUCT,
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: npm('@types/[^/]+') },
    },
    {
      name: 'local-cloud-standalone',
      severity: 'error',
      comment: 'packages/local-cloud imports itself and emulator packages, never src/, handlers/, tools/ or test/.',
      from: { path: '^packages/local-cloud/' },
      to: { path: '^(src|handlers|tools|test)/' },
    },
    {
      name: 'tools-not-tests',
      severity: 'error',
      comment: 'tools/dev imports packages/, src/ and handlers/, not test/.',
      from: { path: '^tools/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // A workspace's dist/: built bundles (packages/cli/dist, npm run pack-cli), not sources.
    exclude: { path: ['(^|/)\\.[^./]', '^coverage/', '^packages/[^/]+/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
