import { useCallback, useId } from 'react';

/** Stable, unique input ids per error path, so a refused submit can move the focus to the field. */
export function useFieldIds(): {
  idFor: (path: string) => string;
  focus: (path: string | undefined) => void;
} {
  const prefix = useId();
  const idFor = useCallback((path: string) => `${prefix}-${path.replace(/\W/g, '-')}`, [prefix]);
  const focus = useCallback(
    (path: string | undefined) => {
      if (!path) return;
      const element = document.getElementById(idFor(path));
      // A select's id is on its hidden native input; the element that takes focus is its combobox.
      const target =
        element?.getAttribute('aria-hidden') === 'true'
          ? element.parentElement?.querySelector<HTMLElement>('[role="combobox"]')
          : element;
      target?.focus();
    },
    [idFor],
  );
  return { idFor, focus };
}
