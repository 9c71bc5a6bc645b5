import { describe, expect, it } from 'vitest';
import { formatSort, parsePage, parsePageSize, parseSort, withParams } from './grid-url.ts';

describe('grid state in the URL', () => {
  it('round-trips the sort, for allowed fields only', () => {
    expect(parseSort('name.desc', ['name', 'email'])).toEqual([{ field: 'name', sort: 'desc' }]);
    expect(formatSort([{ field: 'name', sort: 'desc' }])).toBe('name.desc');
    expect(parseSort('password.asc', ['name'])).toEqual([]);
    expect(parseSort('name', ['name'])).toEqual([]);
    expect(formatSort([])).toBeNull();
    expect(formatSort([{ field: 'name', sort: null }])).toBeNull();
  });

  it('reads 1-based pages and allowed page sizes', () => {
    expect(parsePage('3')).toBe(2);
    expect(parsePage(null)).toBe(0);
    expect(parsePage('-1')).toBe(0);
    expect(parsePage('1.5')).toBe(0);
    expect(parsePageSize('50', [25, 50, 100] as const, 25)).toBe(50);
    expect(parsePageSize('7', [25, 50, 100] as const, 25)).toBe(25);
  });

  it('drops empty values', () => {
    const next = withParams(new URLSearchParams('q=ann&page=2'), { q: '', page: null, sort: 'name.asc' });
    expect(next.toString()).toBe('sort=name.asc');
  });
});
