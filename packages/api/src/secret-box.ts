import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM under a versioned master key. A sealed value is `v<version>.<iv>.<tag>.<ciphertext>`
 * (base64url), so keys can be rotated: new values use the newest key, old ones still open.
 */
export class SecretBox {
  private readonly keys: Map<number, Buffer>;
  private readonly current: number;

  constructor(keys: Record<number, Buffer>) {
    this.keys = new Map(Object.entries(keys).map(([version, key]) => [Number(version), key]));
    if (this.keys.size === 0) throw new Error('at least one master key is required');
    for (const [version, key] of this.keys) {
      if (key.length !== 32) throw new Error(`master key v${version} must be 32 bytes`);
    }
    this.current = Math.max(...this.keys.keys());
  }

  /** `v1:base64key,v2:base64key` → keys by version. */
  static parse(spec: string): SecretBox {
    const keys: Record<number, Buffer> = {};
    for (const part of spec
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const match = /^v(\d+):(.+)$/.exec(part);
      if (!match) throw new Error('master keys must look like v1:<base64 of 32 bytes>');
      keys[Number(match[1])] = Buffer.from(match[2]!, 'base64');
    }
    return new SecretBox(keys);
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
    return [`v${this.current}`, ...parts].join('.');
  }

  open(sealed: string, associatedData = ''): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    const key = this.keys.get(Number(version?.slice(1)));
    if (!key || !iv || !tag || ciphertext === undefined)
      throw new Error('sealed value is malformed or its key is unknown');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
