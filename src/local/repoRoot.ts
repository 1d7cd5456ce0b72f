import { join } from 'node:path';

/** Root of the repository (this file lives in `src/local`). */
export const REPO_ROOT = join(__dirname, '..', '..');
