import { createStore } from './store.ts';

export type ToastSeverity = 'success' | 'info' | 'warning' | 'error';

export interface Toast {
  id: number;
  severity: ToastSeverity;
  message: string;
  /** Shown with failures so support can find the request in the server's logs. */
  requestId?: string | null;
}

export const toastStore = createStore<readonly Toast[]>([]);
let nextId = 1;

export function toast(severity: ToastSeverity, message: string, requestId?: string | null): void {
  const id = nextId++;
  toastStore.set((queue) => {
    // The same failure reported by several queries at once is one message, not a pile.
    if (queue.some((t) => t.message === message && t.severity === severity)) return queue;
    return [...queue, { id, severity, message, ...(requestId ? { requestId } : {}) }];
  });
}

export function dismissToast(id: number): void {
  toastStore.set((queue) => queue.filter((t) => t.id !== id));
}
