import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  canonicalSearch,
  filterProblems,
  formatSortParam,
  listInput,
  parseSortParam,
  readTransactionsView,
  withList,
  withToggled,
  withoutFilters,
} from './url-state.ts';

const connection = '0b6f6a4e-5a47-4c1e-9d53-3f1b0f2b8c11';

describe('transactions view in the URL', () => {
  it('reads every filter, the sort and the paging', () => {
    const view = readTransactionsView(
      new URLSearchParams(
        `q= Ann@Example.com &from=2026-03-01&to=2026-03-31&tz=Asia/Tokyo&provider=gate&provider=paytone` +
          `&connection=${connection.toUpperCase()}&status=failed&status=declined&kind=payment&currency=EUR` +
          `&method=card&min=10&max=99.5&sort=amount.asc&page=3&size=50`,
      ),
    );
    expect(view).toEqual({
      q: 'Ann@Example.com',
      from: '2026-03-01',
      to: '2026-03-31',
      zone: 'Asia/Tokyo',
      providers: ['gate', 'paytone'],
      connectionIds: [connection],
      statuses: ['failed', 'declined'],
      kinds: ['payment'],
      currencies: ['EUR'],
      methods: ['card'],
      amountMin: '10',
      amountMax: '99.5',
      sort: { field: 'amount', direction: 'asc' },
      page: 2,
      pageSize: 50,
    });
    expect(activeFilterCount(view)).toBe(8);
    expect(filterProblems(view)).toEqual({});
  });

  it('ignores what it cannot use, and repeats nothing', () => {
    const view = readTransactionsView(
      new URLSearchParams(
        'from=yesterday&to=2026-02-31&tz=Mars/Olympus&provider=stripe&provider=gate&provider=gate' +
          '&status=lost&kind=gift&currency=XXX&connection=42&sort=password.asc&size=13&page=zero',
      ),
    );
    expect(view).toMatchObject({
      q: '',
      from: '',
      to: '',
      zone: null,
      providers: ['gate'],
      statuses: [],
      kinds: [],
      currencies: [],
      connectionIds: [],
      sort: null,
      page: 0,
      pageSize: 25,
    });
    expect(activeFilterCount(view)).toBe(1);
  });

  it('converts days of the chosen zone into instants with that zone’s offset', () => {
    const view = readTransactionsView(
      new URLSearchParams('from=2026-03-01&to=2026-03-31&tz=Europe/Berlin&status=succeeded'),
    );
    // Berlin moves to summer time on 29 March: the end of the 31st is at +02:00.
    expect(listInput(view, 'Europe/Berlin')).toEqual({
      from: '2026-03-01T00:00:00+01:00',
      to: '2026-04-01T00:00:00+02:00',
      statuses: ['succeeded'],
      page: 0,
      pageSize: 25,
    });
    expect(listInput(view, 'UTC')).toMatchObject({
      from: '2026-03-01T00:00:00+00:00',
      to: '2026-04-01T00:00:00+00:00',
    });
    expect(listInput(view, 'America/Los_Angeles')).toMatchObject({
      from: '2026-03-01T00:00:00-08:00',
      to: '2026-04-01T00:00:00-07:00',
    });
    expect(listInput(view, 'Asia/Kolkata')).toMatchObject({ from: '2026-03-01T00:00:00+05:30' });
  });

  it('sends only what is set, and never a page past the 10,000th row', () => {
    const view = readTransactionsView(new URLSearchParams('q=4242&page=500&size=100'));
    expect(listInput(view, 'UTC')).toEqual({ q: '4242', page: 99, pageSize: 100 });
  });

  it('flags what the API would refuse', () => {
    const read = (query: string) => filterProblems(readTransactionsView(new URLSearchParams(query)));
    expect(read('from=2026-03-02&to=2026-03-01').to).toMatch(/on or after/);
    expect(read('from=2026-03-01&to=2026-03-01')).toEqual({});
    const malformed = read('min=12,50&max=-3');
    expect(malformed.amountMin).toMatch(/decimal point/);
    expect(malformed.amountMax).toMatch(/decimal point/);
    expect(read('min=10.5&max=10.49')).toEqual({ amountMax: 'Must not be below the minimum.' });
    expect(read('min=10.50&max=10.5')).toEqual({});
  });

  it('round-trips the sort, leaving the default out of the URL', () => {
    expect(parseSortParam('customerEmail.desc')).toEqual({ field: 'customerEmail', direction: 'desc' });
    expect(parseSortParam('connectionName.asc')).toBeNull();
    expect(formatSortParam({ field: 'amount', direction: 'desc' })).toBe('amount.desc');
    expect(formatSortParam({ field: 'occurredAt', direction: 'desc' })).toBeNull();
    expect(formatSortParam(null)).toBeNull();
  });

  it('writes lists as repeated keys and clears filters but not the search', () => {
    const withStatuses = withList(new URLSearchParams('q=x&status=failed'), 'status', [
      'declined',
      'expired',
    ]);
    expect(withStatuses.toString()).toBe('q=x&status=declined&status=expired');
    const toggled = withToggled(
      withToggled(new URLSearchParams('status=failed'), 'status', 'declined'),
      'status',
      'failed',
    );
    expect(toggled.toString()).toBe('status=declined');
    const cleared = withoutFilters(
      new URLSearchParams('q=x&provider=gate&from=2026-03-01&tz=UTC&min=1&sort=amount.asc&size=50&page=2'),
    );
    expect(cleared.toString()).toBe('q=x&tz=UTC&sort=amount.asc&size=50');
  });

  it('recognises the same view whatever the order of the keys and the page', () => {
    expect(canonicalSearch('?status=failed&provider=gate&page=3&q=')).toBe(
      canonicalSearch('provider=gate&status=failed'),
    );
    expect(canonicalSearch('status=failed&status=declined')).toBe('status=declined&status=failed');
    expect(canonicalSearch('status=failed')).not.toBe(canonicalSearch('status=failed&provider=gate'));
  });
});
