#!/usr/bin/env node
// `npx kinesis-auto-encrypt …` in a clone: runs the TypeScript CLI through tsx (a devDependency), unbundled.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
createRequire(import.meta.url)('../src/cli/main.ts');
