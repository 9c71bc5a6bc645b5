import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIALS, createSandbox, toJson, type Sandbox, type SandboxRecord } from './index.ts';

const now = Date.UTC(2026, 10, 20, 12, 0);
const normalize = (records: SandboxRecord[]) =>
  [...records].sort((a, b) => a.provider.localeCompare(b.provider) || a.reference.localeCompare(b.reference));

describe('createSandbox with the three providers', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox({ seed: 'all-three' });
  });
  afterAll(() => sandbox.close());

  it('serves every provider and the control API on 127.0.0.1 free ports', async () => {
    expect(sandbox.providers).toEqual(['gate', 'payment-book', 'paytone']);
    const urls = Object.values(sandbox.urls);
    expect(urls).toHaveLength(4);
    expect(new Set(urls).size).toBe(4);
    for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.credentials).toEqual(DEFAULT_CREDENTIALS);
    expect(await (await fetch(`${sandbox.urls.control}/health`)).json()).toEqual({ ok: true });
  });

  it('installs the fault hooks on every provider server', async () => {
    for (const provider of sandbox.providers) {
      sandbox.setFaults(provider, [{ kind: 'error_502', count: 1 }]);
      const base = sandbox.urls[provider];
      expect((await fetch(`${base}/anything`)).status, provider).toBe(502);
    }
  });
});

describe('the generator over the three providers', () => {
  it('reproduces the same records for the same seed', async () => {
    const runs: string[] = [];
    for (let run = 0; run < 2; run++) {
      const sandbox = await createSandbox({ seed: 'reproducible' });
      try {
        const result = await sandbox.generator.generate({ count: 150, now });
        expect(result.failed).toEqual([]);
        expect(new Set(result.created.map((created) => created.provider)).size).toBe(3);
        runs.push(toJson({ planned: result.planned, records: normalize(sandbox.records()) }));
      } finally {
        await sandbox.close();
      }
    }
    expect(runs[1]).toBe(runs[0]);
  });
});
