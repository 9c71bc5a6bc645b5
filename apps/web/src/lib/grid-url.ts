/**
 * Grid state kept in the URL, so a view can be shared by a link and survives a reload. Pages are
 * 1-based in the URL (what people read) and 0-based in the grid and the API.
 */

export interface SortItem {
  field: string;
  sort: 'asc' | 'desc';
}

/** "name.desc" → [{ field: 'name', sort: 'desc' }], only for the fields a screen allows. */
export function parseSort(value: string | null, allowed: readonly string[]): SortItem[] {
  if (!value) return [];
  const match = /^([\w-]+)\.(asc|desc)$/.exec(value);
  if (!match || !allowed.includes(match[1] ?? '')) return [];
  return [{ field: match[1] ?? '', sort: match[2] === 'desc' ? 'desc' : 'asc' }];
}

export function formatSort(
  model: readonly { field: string; sort?: 'asc' | 'desc' | null | undefined }[],
): string | null {
  const first = model[0];
  return first?.sort ? `${first.field}.${first.sort}` : null;
}

/** "3" → 2. Anything else is the first page. */
export function parsePage(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page - 1 : 0;
}

export function parsePageSize<T extends number>(value: string | null, allowed: readonly T[], fallback: T): T {
  const size = Number(value);
  return allowed.find((a) => a === size) ?? fallback;
}

/**
 * Writes changes into search params, dropping empty values and defaults so links stay short.
 * Returns a new URLSearchParams; the input is not modified.
 */
export function withParams(
  current: URLSearchParams,
  changes: Record<string, string | number | null | undefined>,
): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
  }
  return next;
}
