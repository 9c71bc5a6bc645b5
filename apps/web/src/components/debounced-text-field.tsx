import TextField, { type TextFieldProps } from '@mui/material/TextField';
import { useEffect, useState } from 'react';

type Props = Omit<TextFieldProps, 'value' | 'onChange'> & {
  value: string;
  onCommit: (value: string) => void;
  delayMs?: number;
};

/**
 * A text filter that writes to the URL (and so queries the server) only once typing pauses. It follows
 * the URL too: back/forward or "clear filters" replace what is typed.
 */
export function DebouncedTextField({ value, onCommit, delayMs = 350, ...props }: Props) {
  const [draft, setDraft] = useState(value);
  const [committed, setCommitted] = useState(value);
  if (value !== committed) {
    // The URL changed from elsewhere: adopt it (React's "adjust state on prop change" pattern).
    setCommitted(value);
    if (draft.trim() !== value) setDraft(value);
  }

  useEffect(() => {
    const next = draft.trim();
    if (next === value) return;
    const timer = setTimeout(() => onCommit(next), delayMs);
    return () => clearTimeout(timer);
  }, [draft, value, delayMs, onCommit]);

  return <TextField {...props} value={draft} onChange={(e) => setDraft(e.target.value)} />;
}
