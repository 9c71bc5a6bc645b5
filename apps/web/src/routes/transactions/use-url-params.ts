import { useCallback, useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

export type UrlChange = (current: URLSearchParams) => URLSearchParams;

/**
 * `useSearchParams`, with updates that compose. React Router hands a functional update the params of
 * the last render, so two changes made before the next one (a quick second pick in a menu, a debounced
 * field committing as a date is typed) would otherwise lose the first. Each change here builds on the
 * one before it until the router has caught up.
 */
export function useUrlParams(): [
  URLSearchParams,
  (change: UrlChange, options?: { replace?: boolean }) => void,
] {
  const [params, setParams] = useSearchParams();
  const pending = useRef<URLSearchParams | null>(null);
  useEffect(() => {
    if (pending.current?.toString() === params.toString()) pending.current = null;
  }, [params]);
  const update = useCallback(
    (change: UrlChange, options: { replace?: boolean } = {}) => {
      const next = change(new URLSearchParams(pending.current ?? params));
      pending.current = next;
      setParams(next, { replace: options.replace ?? false });
    },
    [params, setParams],
  );
  return [params, update];
}
