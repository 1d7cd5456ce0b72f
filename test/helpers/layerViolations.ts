import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import that breaks a layer rule. */
export interface LayerViolation {
  file: string;
  imports: string;
  rule: string;
}

/** A layer: the files it holds and what they may not import (repo-relative folders, or package names). */
interface LayerRule {
  name: string;
  files: (path: string) => boolean;
  /** Repo-relative folders the layer may not import from. */
  forbiddenFolders: string[];
  /** Returns why a bare (package) import is not allowed here, or undefined. */
  forbiddenPackage?: (specifier: string) => string | undefined;
}

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);
const outsideLocal = (path: string) => !path.startsWith('src/local/') && !path.startsWith('test/');

/** The rules of DESIGN.md's layer table. */
const LAYER_RULES: LayerRule[] = [
  {
    name: 'src/domain is pure',
    files: under('src/domain'),
    forbiddenFolders: [
      'src/aws',
      'src/local',
      'src/events',
      'src/completion',
      'src/config',
      'src/metrics',
      'src/cli',
      'src/report',
      'handlers',
    ],
    forbiddenPackage: (specifier) =>
      specifier === 'zod' || specifier.startsWith('zod/') || specifier.startsWith('node:')
        ? undefined
        : 'the domain imports nothing but itself, zod and Node built-ins (no SDK, no Powertools)',
  },
  {
    name: 'src/events and src/completion depend on the domain only',
    files: (path) => under('src/events')(path) || under('src/completion')(path),
    forbiddenFolders: ['src/aws', 'src/local', 'src/config', 'src/cli', 'handlers'],
    forbiddenPackage: (specifier) =>
      specifier.startsWith('@aws-lambda-powertools/') || specifier.startsWith('@aws-sdk/client-')
        ? 'no SDK clients or Powertools in parsing and completion building'
        : undefined,
  },
  {
    // Names and the completion → metrics mapping; Powertools Metrics writes them from src/aws (the adapter).
    name: 'src/metrics is pure',
    files: under('src/metrics'),
    forbiddenFolders: ['src/aws', 'src/local', 'src/config', 'handlers'],
    forbiddenPackage: (specifier) =>
      specifier.startsWith('@aws-lambda-powertools/') || specifier.startsWith('@aws-sdk/')
        ? 'no SDK or Powertools in metric names and mapping (src/aws/completionMetricsPublisher.ts writes them)'
        : undefined,
  },
  { name: 'nothing outside src/local imports it', files: outsideLocal, forbiddenFolders: ['src/local'] },
];

const sourceFiles = (root: string, folder: string): string[] => {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = `${folder}/${entry}`;
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(root, path);
    return /\.(ts|mts|cts)$/.test(entry) ? [path] : [];
  });
};

/** Every import (static, dynamic, `require`, `import type`) of every file of `handlers/` and `src/` that breaks a rule. */
export const layerViolations = (root: string, rules: LayerRule[] = LAYER_RULES): LayerViolation[] => {
  const files = [...sourceFiles(root, 'handlers'), ...sourceFiles(root, 'src')];
  const violations: LayerViolation[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      const target = specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : undefined;
      for (const rule of rules.filter((candidate) => candidate.files(file))) {
        if (target !== undefined) {
          const folder = rule.forbiddenFolders.find(
            (forbidden) => target === forbidden || target.startsWith(`${forbidden}/`)
          );
          if (folder !== undefined) violations.push({ file, imports: specifier, rule: `${rule.name} (${folder})` });
        } else {
          const why = rule.forbiddenPackage?.(specifier);
          if (why !== undefined) violations.push({ file, imports: specifier, rule: `${rule.name}: ${why}` });
        }
      }
    }
  }
  return violations;
};
