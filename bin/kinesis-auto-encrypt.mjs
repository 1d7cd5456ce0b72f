#!/usr/bin/env node
// `npx kinesis-auto-encrypt …` in a clone: runs the TypeScript CLI through tsx (a devDependency), unbundled, so it
// always runs the sources as they are. The installable CLI is packages/cli: one bundled file (npm run pack-cli).
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
createRequire(import.meta.url)('../src/cli/main.ts');
