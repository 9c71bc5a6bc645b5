import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SecretBox } from '@paydesk/api';

/**
 * The master key seals TOTP secrets and provider credentials. In production it comes from the
 * environment; the embedded mode keeps a generated one under the data folder (and says so), which is
 * only as safe as that folder.
 */
export async function loadSecretBox(
  spec: string | undefined,
  dataDir: string,
  warn: (message: string) => void,
): Promise<SecretBox> {
  if (spec) return SecretBox.parse(spec);
  const file = join(dataDir, 'master-key');
  if (!existsSync(file)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `v1:${SecretBox.generateKey()}\n`, { mode: 0o600 });
  }
  warn(`PAYDESK_MASTER_KEYS is not set: using the generated key in ${file}. Set it for any real deployment.`);
  return SecretBox.parse((await readFile(file, 'utf8')).trim());
}
