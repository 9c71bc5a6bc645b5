import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentInvoice } from './model.ts';
import { PaytoneStore } from './store.ts';
import {
  invoiceBody,
  listOf,
  seededRandom,
  startPaytone,
  uniqueReference,
  type HttpResult,
  type PaytoneHarness,
} from './test-context.ts';

let paytone: PaytoneHarness;
/** Ids in creation order. */
const created: string[] = [];

beforeAll(async () => {
  paytone = await startPaytone();
  for (let i = 0; i < 7; i++) {
    const response = await paytone.api('POST', '/api/payment-invoices', invoiceBody());
    created.push(response.json.data.id);
    // Two invoices share each second: order must still be total and stable.
    if (i % 2 === 1) await paytone.advance(1_000);
  }
});
afterAll(async () => {
  await paytone.close();
});

const ids = (result: HttpResult) => listOf(result).map((item) => item.id);

describe('GET /api/payment-invoices', () => {
  it('lists newest first with meta and empty links on a single page', async () => {
    const response = await paytone.api('GET', '/api/payment-invoices');
    expect(response.status).toBe(200);
    const newestFirst = [...created].reverse();
    expect(ids(response)).toEqual(newestFirst);
    expect(response.json.meta).toEqual({ count: 7, size: 20, before: newestFirst[0], after: newestFirst[6] });
    expect(response.json.links).toEqual({ prev: '', next: '' });
    expect(listOf(response)[0]?.type).toBe('payment-invoices');
  });

  it('walks cursor pages forward with page[after] and back with page[before]', async () => {
    const newestFirst = [...created].reverse();
    const forward: string[] = [];
    let next = '/api/payment-invoices?page[size]=3';
    let prev = '';
    while (next) {
      const response = await paytone.api('GET', next);
      expect(response.status).toBe(200);
      forward.push(...ids(response));
      prev = response.json.links.prev ?? '';
      next = response.json.links.next ?? '';
    }
    expect(forward).toEqual(newestFirst);

    const backward: string[] = [];
    while (prev) {
      const response = await paytone.api('GET', prev);
      backward.unshift(...ids(response));
      prev = response.json.links.prev ?? '';
    }
    expect(backward).toEqual(newestFirst.slice(0, 6));
  });

  it('filters by reference_id', async () => {
    const reference = uniqueReference('filtered');
    const one = await paytone.api('POST', '/api/payment-invoices', invoiceBody({ reference_id: reference }));
    const response = await paytone.api('GET', `/api/payment-invoices?filter[reference_id]=${reference}`);
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual([one.json.data.id]);
    expect(listOf(response)[0]).toEqual(one.json.data);
    const none = await paytone.api('GET', '/api/payment-invoices?filter[reference_id]=no-such-order');
    expect(none.json).toEqual({
      meta: { count: 0, size: 20, before: null, after: null },
      links: { prev: '', next: '' },
      data: [],
    });
  });

  it.each([
    [
      'an undocumented filter',
      '?filter[status]=processed',
      { 'filter[status]': 'This filter is not supported.' },
    ],
    ['a page size above 100', '?page[size]=101', { 'page[size]': 'This value should be between 1 and 100.' }],
    [
      'a page size that is not a number',
      '?page[size]=ten',
      { 'page[size]': 'This value should be between 1 and 100.' },
    ],
    [
      'an unknown cursor',
      '?page[after]=cpi_unknown',
      { 'page[after]': 'This cursor is not an invoice of this list.' },
    ],
    [
      'both cursors',
      `?page[after]=x&page[before]=y`,
      { 'page[before]': 'Use either page[after] or page[before], not both.' },
    ],
    [
      'a repeated parameter',
      '?filter[reference_id]=a&filter[reference_id]=b',
      { 'filter[reference_id]': 'This value should be of type string.' },
    ],
  ])('answers 422 for %s', async (_name, query, errors) => {
    const response = await paytone.api('GET', `/api/payment-invoices${query}`);
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ errors });
  });
});

describe('PaytoneStore cursor pages', () => {
  const fakeInvoice = (id: string, seq: number, createdMs: number): PaymentInvoice =>
    ({ id, seq, createdMs, referenceId: `ref-${id}` }) as PaymentInvoice;

  it('walks every invoice exactly once, newest first, in both directions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (times, size) => {
          const store = new PaytoneStore(seededRandom(1));
          const invoices = times.map((time, index) => fakeInvoice(`cpi_${index}`, index + 1, time * 1000));
          for (const invoice of invoices) store.addPayment(invoice);
          const expected = [...invoices]
            .sort((a, b) => b.createdMs - a.createdMs || b.seq - a.seq)
            .map((invoice) => invoice.id);

          const forward: string[] = [];
          let page = store.listPayments({ size });
          for (;;) {
            if (!page.ok) throw new Error('cursor refused');
            forward.push(...page.items.map((invoice) => invoice.id));
            const last = page.items[page.items.length - 1];
            if (!page.hasNext || !last) break;
            page = store.listPayments({ size, after: last.id });
          }
          expect(forward).toEqual(expected);

          const backward: string[] = [];
          const oldest = expected[expected.length - 1];
          if (oldest === undefined) return;
          backward.unshift(oldest);
          page = store.listPayments({ size, before: oldest });
          for (;;) {
            if (!page.ok) throw new Error('cursor refused');
            backward.unshift(...page.items.map((invoice) => invoice.id));
            const first = page.items[0];
            if (!page.hasPrevious || !first) break;
            page = store.listPayments({ size, before: first.id });
          }
          expect(backward).toEqual(expected);
        },
      ),
    );
  });
});
