/**
 * "Back to transactions" returns to the grid as the user left it: its filters, sort and page are in
 * its URL. When the grid is the page just before this one in the tab's history, going back restores
 * its scroll position too; otherwise (a shared link, a reload, another screen) it opens the grid.
 */

export const gridPath = '/transactions';

export interface BackTarget {
  /** Where the link points (shown on hover, opened by a middle click). */
  to: string;
  /** Whether a plain click goes back in history instead of pushing `to`. */
  historyBack: boolean;
}

function gridUrl(url: string, origin: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url, origin);
  } catch {
    return null;
  }
  if (parsed.origin !== origin || parsed.pathname.replace(/\/+$/, '') !== gridPath) return null;
  return `${gridPath}${parsed.search}`;
}

/**
 * `linkState` is the router state a link into this page may carry (`{ from: "/transactions?…" }`);
 * `previousUrl` is the previous entry of the tab's history where the browser tells it (the Navigation
 * API). Either one naming the grid makes the link go back to it.
 */
export function backTarget(linkState: unknown, previousUrl: string | null, origin: string): BackTarget {
  const from =
    linkState !== null &&
    typeof linkState === 'object' &&
    'from' in linkState &&
    typeof linkState.from === 'string'
      ? gridUrl(linkState.from, origin)
      : null;
  if (from) return { to: from, historyBack: true };
  const previous = previousUrl ? gridUrl(previousUrl, origin) : null;
  if (previous) return { to: previous, historyBack: true };
  return { to: gridPath, historyBack: false };
}

/** The URL of the history entry before the current one, where the browser has the Navigation API. */
export function previousHistoryUrl(): string | null {
  if (typeof window === 'undefined' || !('navigation' in window)) return null;
  const current = window.navigation.currentEntry;
  if (!current || current.index <= 0) return null;
  return window.navigation.entries()[current.index - 1]?.url ?? null;
}
