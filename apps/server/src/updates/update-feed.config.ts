// Where the update feed's releases live (UPDATES_DIR): a folder per channel and platform, filled
// by whoever publishes a release (see the server README), never by the server itself.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const updatesEnvSchema = z.object({
  UPDATES_DIR: z.string().trim().min(1).default(`${repositoryRoot}.data/updates`),
});

/** The releases folder from the environment, absolute (default `.data/updates` in the repository). */
export function updatesDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const parsed = updatesEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid configuration: UPDATES_DIR: ${parsed.error.message}`);
  return resolve(parsed.data.UPDATES_DIR);
}
