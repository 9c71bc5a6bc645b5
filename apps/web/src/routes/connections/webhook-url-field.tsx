import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import { CopyButton } from '../../components/copy-button.tsx';

/** The inbound webhook URL, read-only and selected whole on focus, with a copy button beside it. */
export function WebhookUrlField({ url, helperText }: { url: string; helperText?: string }) {
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
      <TextField
        label="Webhook URL"
        value={url}
        size="small"
        helperText={helperText}
        sx={{ flex: '1 1 320px' }}
        slotProps={{
          htmlInput: {
            readOnly: true,
            spellCheck: false,
            onFocus: (e: React.FocusEvent<HTMLInputElement>) => e.target.select(),
            sx: { fontFamily: 'monospace', fontSize: '0.8125rem' },
          },
        }}
      />
      <CopyButton text={url} label="Copy URL" />
    </Box>
  );
}
