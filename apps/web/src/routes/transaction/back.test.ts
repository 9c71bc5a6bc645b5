import { describe, expect, it } from 'vitest';
import { backTarget } from './back.ts';

const origin = 'https://paydesk.example';

describe('backTarget', () => {
  it('goes back in history to the grid the link came from, filters and all', () => {
    expect(backTarget({ from: '/transactions?status=declined&page=3' }, null, origin)).toEqual({
      to: '/transactions?status=declined&page=3',
      historyBack: true,
    });
  });

  it('goes back when the previous history entry is the grid', () => {
    expect(backTarget(null, `${origin}/transactions?q=ann%40example.com`, origin)).toEqual({
      to: '/transactions?q=ann%40example.com',
      historyBack: true,
    });
    expect(backTarget(undefined, `${origin}/transactions/`, origin)).toEqual({
      to: '/transactions',
      historyBack: true,
    });
  });

  it('opens the grid afresh after any other page, a reload of a shared link, or another site', () => {
    const fresh = { to: '/transactions', historyBack: false };
    expect(backTarget(null, null, origin)).toEqual(fresh);
    expect(backTarget(null, `${origin}/customers/ann%40example.com`, origin)).toEqual(fresh);
    expect(backTarget(null, `${origin}/transactions/5b0c…`, origin)).toEqual(fresh);
    expect(backTarget(null, 'https://elsewhere.example/transactions?q=x', origin)).toEqual(fresh);
    expect(backTarget({ from: '/settings/users' }, null, origin)).toEqual(fresh);
    expect(backTarget({ from: 42 }, null, origin)).toEqual(fresh);
  });
});
