import { createStore } from './store.ts';

/**
 * Set when a query of the current screen is refused (FORBIDDEN). The layout shows the "no access" page
 * in place of that screen only: the denial is remembered with its path, so navigating away clears it.
 */
export const accessDeniedStore = createStore<{ message: string; path: string } | null>(null);

export function denyAccess(message: string): void {
  accessDeniedStore.set({ message, path: window.location.pathname });
}
