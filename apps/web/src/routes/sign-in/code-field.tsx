import TextField from '@mui/material/TextField';

/** The one-time code input: numeric keypad on phones, and browsers may fill it from an SMS/app. */
export function CodeField({
  kind,
  value,
  onChange,
  error,
  autoFocus,
}: {
  kind: 'totp' | 'recovery';
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  autoFocus?: boolean;
}) {
  const totp = kind === 'totp';
  return (
    <TextField
      label={totp ? 'Six-digit code' : 'Recovery code'}
      required
      autoFocus={autoFocus}
      autoComplete={totp ? 'one-time-code' : 'off'}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={Boolean(error)}
      helperText={
        error ??
        (totp
          ? 'The code your authenticator app shows now.'
          : 'One of the codes you saved when you set up two-factor authentication, like 1a2b-3c4d-5e.')
      }
      slotProps={{
        htmlInput: totp
          ? {
              inputMode: 'numeric',
              maxLength: 7,
              spellCheck: false,
              style: { letterSpacing: '0.2em', fontFamily: 'monospace' },
            }
          : { maxLength: 20, spellCheck: false, autoCapitalize: 'none', style: { fontFamily: 'monospace' } },
      }}
      sx={{ mb: 2 }}
    />
  );
}
