import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@paydesk/db/testing';
import type { CurrencyCode, TransactionStatus } from '@paydesk/domain';
import type { NormalizedTransaction } from '@paydesk/providers';
import { connectionForm, createSandbox, type Sandbox } from '@paydesk/sandbox';
import { recordObservation } from '../../services/ledger/apply.ts';
import { lookupTransaction } from '../../services/ledger/worker.ts';
import { createHarness, type Harness } from '../../test/harness.ts';

type Api = Awaited<ReturnType<Awaited<ReturnType<Harness['admin']>>['browser']['api']>>;

const day = 86_400_000;

interface Seeded {
  id: string;
  providerId: string;
  reference: string;
  email: string;
}

describe.each(testDatabases())('transactions API on %s', (kind) => {
  let h: Harness;
  let api: Api;
  let sandbox: Sandbox;
  const connectionIds: Record<string, string> = {};
  const seeded: Seeded[] = [];
  let now: Date;

  async function observe(connection: string, observed: NormalizedTransaction) {
    const result = await h.deps.db.transaction((tx) =>
      recordObservation(tx, { connectionId: connectionIds[connection]!, now, source: 'webhook' }, observed),
    );
    return result.transactionId;
  }

  function transaction(
    index: number,
    overrides: Partial<NormalizedTransaction> & { currency?: CurrencyCode; minor?: bigint } = {},
  ): NormalizedTransaction {
    const provider = overrides.provider ?? (['gate', 'payment-book', 'paytone'] as const)[index % 3]!;
    const status: TransactionStatus = overrides.status ?? (index % 5 === 0 ? 'declined' : 'succeeded');
    return {
      provider,
      providerId: overrides.providerId ?? `${provider === 'paytone' ? 'cpi_' : 'pid-'}${index}`,
      reference: overrides.reference ?? `order-${index}`,
      kind: overrides.kind ?? 'payment',
      status,
      rawStatus: status.toUpperCase(),
      amount: {
        amountMinor: overrides.minor ?? BigInt(1_000 + index * 10),
        currency: overrides.currency ?? 'EUR',
      },
      refundedMinor: 0n,
      customer: overrides.customer ?? {
        email: `customer${index % 7}@example.com`,
        name: `Customer ${index % 7}`,
      },
      card: { bin: '424242', last4: String(1000 + (index % 9)), brand: 'visa' },
      method: overrides.method ?? (index % 2 ? 'card' : 'bank_transfer'),
      createdAt: overrides.createdAt ?? new Date(now.getTime() - (index % 60) * day),
      operations: [
        {
          providerId: `op-${index}`,
          type: 'payment',
          status: status === 'succeeded' ? 'succeeded' : 'failed',
          rawStatus: status,
          amount: {
            amountMinor: overrides.minor ?? BigInt(1_000 + index * 10),
            currency: overrides.currency ?? 'EUR',
          },
        },
      ],
      raw: {
        id: index,
        secret_key: 'sk_live_should_not_show',
        card_number: '4111111111111111',
        note: 'paid with 4111 1111 1111 1111',
        webhook: { url: 'https://paydesk.example/hooks/AbCdEfGhIjKlMnOpQrStUvWxYz012345' },
      },
    };
  }

  beforeAll(async () => {
    h = await createHarness(kind);
    sandbox = await createSandbox({ seed: 11 });
    now = h.clock.now();
    api = await (await h.admin()).browser.api();
    for (const provider of ['gate', 'payment-book', 'paytone'] as const) {
      const created = await api.connection.create({
        provider,
        name: `Test ${provider}`,
        mode: 'test',
        baseUrl: sandbox.urls[provider],
        ...connectionForm(sandbox.credentials, provider),
      });
      connectionIds[provider] = created.id;
    }
    for (let index = 0; index < 90; index += 1) {
      const observed = transaction(index);
      const id = await observe(observed.provider, observed);
      seeded.push({
        id,
        providerId: observed.providerId,
        reference: observed.reference,
        email: observed.customer.email!,
      });
    }
    // Other currencies, one of each exponent, and an old one outside the default window.
    await observe('paytone', transaction(1001, { provider: 'paytone', currency: 'JPY', minor: 1500n }));
    await observe('paytone', transaction(1002, { provider: 'paytone', currency: 'KWD', minor: 12_345n }));
    await observe(
      'gate',
      transaction(1003, {
        provider: 'gate',
        currency: 'USD',
        createdAt: new Date(now.getTime() - 200 * day),
      }),
    );
  });
  afterAll(async () => {
    await sandbox.close();
    await h.close();
  });

  type ListInput = Parameters<Api['transaction']['list']>[0];
  const list = (input: Partial<ListInput> = {}) => api.transaction.list({ page: 0, pageSize: 100, ...input });

  async function validationError(input: unknown): Promise<{ path: string; message: string }[]> {
    try {
      await api.transaction.list(input as Parameters<Api['transaction']['list']>[0]);
    } catch (error) {
      // What the error formatter turns into the browser's field errors: the input schema's issues.
      const { code, cause } = error as {
        code: string;
        cause?: { issues?: { path: PropertyKey[]; message: string }[] };
      };
      expect(code).toBe('BAD_REQUEST');
      return (cause?.issues ?? []).map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }));
    }
    throw new Error('the input was accepted');
  }

  it('opens on the last 30 days, newest first, and says so', async () => {
    const page = await list();
    expect(page.window.isDefault).toBe(true);
    expect(page.rows.length).toBeGreaterThan(0);
    const cutoff = now.getTime() - 30 * day;
    for (const row of page.rows) expect(Date.parse(row.occurredAt)).toBeGreaterThanOrEqual(cutoff);
    const times = page.rows.map((row) => Date.parse(row.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(page.rows[0]!.amountMinor).toMatch(/^\d+$/);
    expect(page.rows[0]!.connectionName).toMatch(/^Test /);
  });

  it('widens an empty default window to all time and says so', async () => {
    // The only USD payment is 200 days old: nothing in the last 30 days.
    const page = await list({ currencies: ['USD'] });
    expect(page.window.widened).toBe(true);
    expect(page.window.from).toBeNull();
    expect(page.rows.map((row) => row.currency)).toEqual(['USD']);
  });

  it('filters by dates, provider, connection, status, kind, currency, amount and method', async () => {
    const from = new Date(now.getTime() - 10 * day).toISOString();
    const to = new Date(now.getTime() - 2 * day).toISOString();
    const dated = await list({ from, to });
    expect(dated.rows.length).toBeGreaterThan(0);
    for (const row of dated.rows) {
      expect(row.occurredAt >= from && row.occurredAt < to).toBe(true);
    }
    const all = { from: '2000-01-01T00:00:00+02:00' };
    const byProvider = await list({ ...all, providers: ['paytone'] });
    expect(new Set(byProvider.rows.map((row) => row.provider))).toEqual(new Set(['paytone']));
    const byConnection = await list({ ...all, connectionIds: [connectionIds.gate!] });
    expect(new Set(byConnection.rows.map((row) => row.connectionId))).toEqual(new Set([connectionIds.gate]));
    const byStatus = await list({ ...all, statuses: ['declined'] });
    expect(byStatus.total).toBe(18);
    expect(new Set(byStatus.rows.map((row) => row.status))).toEqual(new Set(['declined']));
    expect((await list({ ...all, kinds: ['payout'] })).total).toBe(0);
    const byCurrency = await list({ ...all, currencies: ['JPY', 'KWD'] });
    expect(byCurrency.rows.map((row) => row.currency).sort()).toEqual(['JPY', 'KWD']);
    // Amounts are in major units, compared exactly in each currency's own minor units.
    const byAmount = await list({ ...all, amountMin: '12.345', amountMax: '1500' });
    expect(byAmount.rows.map((row) => `${row.amountMinor} ${row.currency}`).sort()).toEqual(
      expect.arrayContaining(['12345 KWD', '1500 JPY']),
    );
    for (const row of byAmount.rows.filter((each) => each.currency === 'EUR')) {
      expect(BigInt(row.amountMinor)).toBeGreaterThanOrEqual(1235n);
    }
    const exactEuro = await list({ ...all, currencies: ['EUR'], amountMin: '10.10', amountMax: '10.10' });
    expect(exactEuro.rows.map((row) => row.amountMinor)).toEqual(['1010']);
    const byMethod = await list({ ...all, methods: ['bank_transfer'] });
    expect(new Set(byMethod.rows.map((row) => row.method))).toEqual(new Set(['bank_transfer']));
  });

  it('sorts by each allowed field in both directions, pages without overlap', async () => {
    for (const field of [
      'occurredAt',
      'amount',
      'status',
      'provider',
      'customerEmail',
      'updatedAt',
    ] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const page = await list({ from: '2000-01-01T00:00:00Z', sort: { field, direction } });
        const key = (row: (typeof page.rows)[number]) =>
          field === 'amount' ? BigInt(row.amountMinor) : field === 'occurredAt' ? row.occurredAt : row[field];
        const keys = page.rows.map(key);
        const sorted = [...keys].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
        expect(keys, `${field} ${direction}`).toEqual(direction === 'asc' ? sorted : sorted.reverse());
      }
    }
    const first = await list({ from: '2000-01-01T00:00:00Z', pageSize: 25, page: 0 });
    const second = await list({ from: '2000-01-01T00:00:00Z', pageSize: 25, page: 1 });
    const ids = new Set(first.rows.map((row) => row.id));
    expect(second.rows.some((row) => ids.has(row.id))).toBe(false);
    expect(first.total).toBe(93);
  });

  it('finds by Paydesk id, provider id, merchant reference, operation id, e-mail and card', async () => {
    const target = seeded[4]!;
    const byId = await list({ q: target.id });
    expect(byId.searchKind).toBe('paydesk_id');
    expect(byId.rows.map((row) => row.id)).toEqual([target.id]);
    const byProviderId = await list({ q: target.providerId });
    expect(byProviderId.rows.map((row) => row.id)).toEqual([target.id]);
    expect((await list({ q: seeded[2]!.providerId })).rows.map((row) => row.id)).toEqual([seeded[2]!.id]);
    const byReference = await list({ q: `  ${target.reference} ` });
    expect(byReference.rows.map((row) => row.id)).toEqual([target.id]);
    expect((await list({ q: 'op-4' })).rows.map((row) => row.id)).toEqual([target.id]);
    const byEmail = await list({ q: target.email.toUpperCase() });
    expect(byEmail.searchKind).toBe('email');
    expect(byEmail.rows.length).toBeGreaterThan(5);
    expect(new Set(byEmail.rows.map((row) => row.provider)).size).toBe(3);
    const byLast4 = await list({ q: '1004' });
    expect(byLast4.searchKind).toBe('last4');
    expect(byLast4.rows.every((row) => row.cardLast4 === '1004')).toBe(true);
    expect(byLast4.rows.length).toBe(11);
    const byCard = await list({ q: '424242******1004' });
    expect(byCard.searchKind).toBe('card');
    expect(byCard.rows.length).toBe(11);
    expect((await list({ q: 'no-such-thing' })).rows).toEqual([]);
  });

  it('answers hostile input with a clear validation error, and treats SQL as text', async () => {
    for (const q of [
      "' OR 1=1 --",
      '"; DROP TABLE transactions; --',
      '%_\\',
      'a\u0000b'.replace('\u0000', ''),
    ]) {
      expect((await list({ q })).rows).toEqual([]);
    }
    expect(await validationError({ page: 0, pageSize: 25, q: 'x'.repeat(10_000) })).toEqual([
      { path: 'q', message: 'the search is at most 320 characters' },
    ]);
    const unknownSort = await validationError({
      page: 0,
      pageSize: 25,
      sort: { field: 'password_hash', direction: 'asc' },
    });
    expect(unknownSort[0]?.path).toBe('sort.field');
    expect(unknownSort[0]?.message).toMatch(/sort by one of: occurredAt, amount/);
    expect((await validationError({ page: 0, pageSize: 25, statuses: ['paid; DROP'] }))[0]?.path).toBe(
      'statuses.0',
    );
    expect((await validationError({ page: 0, pageSize: 25, amountMin: '1e9' }))[0]).toEqual({
      path: 'amountMin',
      message: 'an amount is digits with an optional decimal point, like 12.50',
    });
    expect((await validationError({ page: 0, pageSize: 25, amountMin: '5', amountMax: '4' }))[0]?.path).toBe(
      'amountMax',
    );
    expect((await validationError({ page: 0, pageSize: 25, from: 'yesterday' }))[0]?.path).toBe('from');
    expect((await validationError({ page: 0, pageSize: 25, connectionIds: ['1 OR 1=1'] }))[0]?.path).toBe(
      'connectionIds.0',
    );
    expect((await validationError({ page: 0, pageSize: 33 }))[0]?.path).toBe('pageSize');
    expect((await validationError({ page: 500, pageSize: 100 }))[0]?.message).toMatch(/narrow the filters/);
    expect((await validationError({ page: 0, pageSize: 25, methods: ['m'.repeat(10_000)] }))[0]?.path).toBe(
      'methods.0',
    );
  });

  it('shows a transaction with refundable amount, operations, timeline and redacted payload', async () => {
    const target = seeded[1]!;
    const detail = await api.transaction.get({ id: target.id });
    expect(detail.transaction.providerId).toBe(target.providerId);
    expect(detail.refundableMinor).toBe(detail.transaction.amountMinor);
    expect(detail.operations).toHaveLength(1);
    expect(detail.timeline.map((event) => event.type)).toContain('discovered');
    const raw = JSON.stringify(detail.raw);
    expect(raw).not.toContain('sk_live_should_not_show');
    expect(raw).not.toContain('4111111111111111');
    expect(raw).toContain('411111******1111');
    expect(raw).not.toContain('AbCdEfGhIjKlMnOp');
    expect(raw).toContain('/hooks/[token]');
    await expect(api.transaction.get({ id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(api.transaction.get({ id: "1' OR '1'='1" })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('summarises a customer across providers, and lists the filter choices', async () => {
    const summary = await api.transaction.customer({ email: 'Customer1@Example.com' });
    expect(summary.email).toBe('customer1@example.com');
    expect(new Set(summary.perProvider.map((row) => row.provider)).size).toBe(3);
    const facets = await api.transaction.facets();
    expect(facets.currencies).toEqual(['EUR', 'JPY', 'KWD', 'USD']);
    expect(facets.methods).toEqual(['bank_transfer', 'card']);
    expect(facets.connections).toHaveLength(3);
  });

  it('refreshes from the provider: a status changed there without a webhook is picked up, call and action recorded', async () => {
    await sandbox.generator.generate({ seed: 'refresh', count: 30 });
    const found = sandbox.simulators
      .paytone!.records()
      .find((each) => each.kind === 'payment' && each.status === 'processed');
    expect(found).toBeDefined();
    const record = found!;
    await lookupTransaction(
      { ...h.deps, now: () => h.clock.now() },
      {
        connectionId: connectionIds.paytone!,
        reference: record.reference,
        providerId: record.providerId,
      },
    );
    const [row] = (await list({ q: record.providerId })).rows;
    expect(row).toBeDefined();
    sandbox.simulators.paytone!.forceStatus(record.providerId, 'refunded', { notify: false });
    const result = await api.transaction.refresh({ id: row!.id });
    expect(result.status).toBe('refunded');
    expect(result.statusChanged).toBe(true);
    const detail = await api.transaction.get({ id: row!.id });
    expect(detail.transaction.status).toBe('refunded');
    const call = detail.timeline.find((event) => event.type === 'provider_call');
    expect(call?.summary).toMatch(/Refreshed from provider in \d+ ms/);
    expect(call?.details).toMatchObject({ call: 'lookup', outcome: 'ok', by: 'admin@paydesk.test' });
    const audit = await api.audit.list({ action: 'transaction.refresh', page: 0, pageSize: 25 });
    expect(audit.rows[0]).toMatchObject({ targetId: row!.id, result: 'success' });
  });

  it('refuses a refresh to a viewer, and reports a provider failure plainly', async () => {
    const viewer = await (await h.signedInUser('viewer')).browser.api();
    await expect(viewer.transaction.refresh({ id: seeded[0]!.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // Gate's sandbox has no payment with this reference: the provider says not found.
    await expect(api.transaction.refresh({ id: seeded[0]!.id })).rejects.toThrow(
      /no record of this transaction/,
    );
    const detail = await api.transaction.get({ id: seeded[0]!.id });
    expect(detail.timeline.find((event) => event.type === 'provider_call')?.details).toMatchObject({
      outcome: 'failed',
    });
  });
});
