import { createSandbox, type Sandbox } from '@paydesk/sandbox';

/**
 * Demo mode runs the provider sandbox inside the BFF's process, so one command gives a complete,
 * self-contained Paydesk. It listens on free local ports.
 */
export async function startDemoSandbox(): Promise<{ sandbox: Sandbox; lines: string[] }> {
  const sandbox = await createSandbox({ seed: 20261122 });
  const lines = ['Provider sandbox (simulated Gate, Payment Book and Paytone APIs):'];
  for (const [name, url] of Object.entries(sandbox.urls)) lines.push(`  ${name.padEnd(13)} ${url}`);
  return { sandbox, lines };
}
