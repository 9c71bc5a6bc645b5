import { currencyExponent } from '@paydesk/domain';
import { describe, expect, it } from 'vitest';
import type { ProviderModule, ProviderName, SandboxRecord, SimulatedTransaction } from '../core/contract.ts';
import { startSandbox } from '../core/sandbox.ts';
import { gateModule } from '../gate/index.ts';
import { planTraffic, type PlannedTransaction } from './plan.ts';

const now = Date.UTC(2026, 10, 20, 12, 0);
const dayMs = 86_400_000;
const all: ProviderName[] = ['gate', 'payment-book', 'paytone'];
const webhookUrls = {
  gate: 'http://127.0.0.1:9/gate',
  'payment-book': 'http://127.0.0.1:9/pb',
  paytone: 'http://127.0.0.1:9/pt',
};

/** A stand-in simulator that keeps what it was asked to create, drawing from its seeded random. */
function recordingModule(name: ProviderName): ProviderModule {
  return {
    name,
    register(_app, ctx) {
      const records: SandboxRecord[] = [];
      return {
        simulate(input: SimulatedTransaction) {
          const providerId = `${name}_${Math.floor(ctx.random() * 1e9)}`;
          records.push({
            provider: name,
            providerId,
            reference: input.reference,
            kind: input.kind,
            status: input.outcome,
            amountMinor: input.amountMinor,
            refundedMinor: input.refunds.reduce((sum, refund) => sum + refund, 0n),
            currency: input.currency,
            customerEmail: input.customer.email,
            createdAt: input.at,
            updatedAt: input.at,
          });
          return Promise.resolve({ providerId });
        },
        records: () => records,
        forceStatus: () => false,
      };
    },
  };
}

describe('planTraffic', () => {
  const plan = (seed: string, count = 400) =>
    planTraffic({ seed, count, days: 90, now, providers: all, webhookUrls });

  it('is reproducible for a seed and differs between seeds', () => {
    expect(plan('alpha')).toEqual(plan('alpha'));
    expect(plan('alpha')).not.toEqual(plan('beta'));
    // A longer run starts the same way in time order only if it is the same draw; it is at least as varied.
    expect(new Set(plan('alpha').map((p) => p.input.reference)).size).toBe(400);
  });

  it('looks like a merchant: mostly successful, several currencies, realistic people', () => {
    const planned = plan('shape', 3_000);
    const inputs = planned.map((p) => p.input);
    const payments = inputs.filter((input) => input.kind === 'payment');
    const success = payments.filter((input) => input.outcome === 'success').length / payments.length;
    expect(success).toBeGreaterThan(0.8);
    expect(success).toBeLessThan(0.9);
    for (const outcome of ['declined', 'failed', 'expired'] as const) {
      expect(payments.some((input) => input.outcome === outcome)).toBe(true);
    }

    const currencies = new Set(inputs.map((input) => input.currency));
    for (const currency of ['EUR', 'USD', 'GBP', 'JPY', 'KWD']) expect(currencies).toContain(currency);
    for (const input of inputs) {
      expect(input.amountMinor).toBeGreaterThan(0n);
      // Every amount is exact in its currency's minor units (checked by the domain's table).
      expect(currencyExponent(input.currency)).toBeGreaterThanOrEqual(0);
      if (input.currency === 'JPY') expect(input.amountMinor % 10n).toBe(0n);
      expect(input.customer.email).toMatch(/^[a-z]+\.[a-z]+\d*@[a-z.]+$/);
      expect(input.webhookUrl).toBeDefined();
    }
    expect(new Set(planned.map((p) => p.provider))).toEqual(new Set(all));
    expect(new Set(inputs.map((input) => input.method))).toEqual(
      new Set(['card', 'wallet', 'bank_transfer']),
    );
  });

  it('spreads history over the window, in time order', () => {
    const planned = plan('time', 1_000);
    const times = planned.map((p) => p.input.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThan(now - 97 * dayMs);
    expect(Math.max(...times)).toBeLessThanOrEqual(now - 15 * 60_000);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(60 * dayMs);
  });

  it('respects what each provider can do', () => {
    const planned = plan('caps', 3_000);
    const by = (provider: ProviderName) => planned.filter((p) => p.provider === provider).map((p) => p.input);
    expect(
      planned.filter((p) => p.input.kind === 'subscription').every((p) => p.provider === 'payment-book'),
    ).toBe(true);
    expect(by('payment-book').some((input) => input.kind === 'subscription')).toBe(true);
    for (const provider of all) expect(by(provider).some((input) => input.kind === 'payout')).toBe(true);

    const refunded = planned.filter((p) => p.input.refunds.length > 0);
    expect(refunded.length).toBeGreaterThan(100);
    for (const { provider, input } of refunded) {
      expect(input.outcome).toBe('success');
      const total = input.refunds.reduce((sum, refund) => sum + refund, 0n);
      expect(total).toBeLessThanOrEqual(input.amountMinor);
      if (provider === 'gate') expect(input.refunds).toEqual([input.amountMinor]);
    }
    expect(refunded.some((p) => p.provider !== 'gate' && p.input.refunds[0] !== p.input.amountMinor)).toBe(
      true,
    );
    // Gate is a card gateway: no bank transfers there.
    expect(by('gate').every((input) => input.method !== 'bank_transfer')).toBe(true);
  });

  it('reuses customers across providers by e-mail', () => {
    const planned = plan('people', 600);
    const providersByEmail = new Map<string, Set<ProviderName>>();
    for (const { provider, input } of planned) {
      const set = providersByEmail.get(input.customer.email) ?? new Set();
      set.add(provider);
      providersByEmail.set(input.customer.email, set);
    }
    expect(providersByEmail.size).toBeLessThan(100);
    expect([...providersByEmail.values()].filter((set) => set.size === 3).length).toBeGreaterThan(10);
  });

  it('only keeps recent payments waiting', () => {
    const waiting = plan('waiting', 5_000).filter((p) =>
      ['pending', 'action_required'].includes(p.input.outcome),
    );
    for (const { input } of waiting) expect(now - input.at).toBeLessThan(3 * dayMs);
  });
});

describe('TrafficGenerator', () => {
  const modules = [gateModule, recordingModule('payment-book'), recordingModule('paytone')];
  const normalize = (records: SandboxRecord[]) =>
    [...records].sort((a, b) => a.reference.localeCompare(b.reference));

  it('creates the same transactions and provider records for the same seed', async () => {
    const runs: { planned: PlannedTransaction[]; records: SandboxRecord[] }[] = [];
    for (let run = 0; run < 2; run++) {
      const sandbox = await startSandbox({ modules, seed: 'repro' });
      try {
        const result = await sandbox.generator.generate({ count: 250, now });
        expect(result.failed).toEqual([]);
        expect(result.created).toHaveLength(250);
        runs.push({ planned: result.planned, records: normalize(sandbox.records()) });
      } finally {
        await sandbox.close();
      }
    }
    const [first, second] = runs;
    expect(second?.planned).toEqual(first?.planned);
    expect(second?.records).toEqual(first?.records);
    const gate = first?.records.filter((record) => record.provider === 'gate') ?? [];
    expect(gate.length).toBeGreaterThan(50);
    expect(new Set(gate.map((record) => record.status))).toEqual(new Set(['success', 'declined']));
    expect(gate.some((record) => record.refundedMinor > 0n)).toBe(true);

    const other = await startSandbox({ modules, seed: 'other' });
    try {
      await other.generator.generate({ count: 250, now });
      expect(normalize(other.records())).not.toEqual(first?.records);
    } finally {
      await other.close();
    }
  });

  it('reports what could not be created and carries on', async () => {
    const sandbox = await startSandbox({ modules: [gateModule], seed: 'twice' });
    try {
      const first = await sandbox.generator.generate({ count: 20, now });
      expect(first.failed).toEqual([]);
      const second = await sandbox.generator.generate({ count: 20, now });
      expect(second.failed).toHaveLength(20);
      expect(second.failed[0]?.error).toMatch(/already exists/);
    } finally {
      await sandbox.close();
    }
  });

  it('trickles live transactions until stopped, reproducibly', async () => {
    const references: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const sandbox = await startSandbox({
        modules: [recordingModule('paytone'), recordingModule('payment-book')],
        seed: 'live',
      });
      try {
        sandbox.generator.start({ everyMs: 10 });
        const deadline = Date.now() + 5_000;
        while (sandbox.records().length < 5 && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 10));
        sandbox.generator.stop();
        const status = sandbox.generator.status();
        expect(status.trickling).toBe(false);
        expect(status.liveCreated).toBeGreaterThanOrEqual(5);
        const records = sandbox.records().sort((a, b) => a.reference.localeCompare(b.reference));
        for (const record of records)
          expect(Math.abs(record.createdAt - sandbox.clock.now())).toBeLessThan(60_000);
        references.push(
          records.slice(0, 5).map((record) => `${record.provider} ${record.reference} ${record.amountMinor}`),
        );
      } finally {
        await sandbox.close();
      }
    }
    expect(references[1]).toEqual(references[0]);
  });
});
