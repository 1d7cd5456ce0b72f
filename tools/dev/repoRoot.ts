import { join } from 'node:path';

/** Root of the repository (this file lives in `tools/dev`). */
export const REPO_ROOT = join(__dirname, '..', '..');
