import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import { useState } from 'react';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { CopyButton } from '../../components/copy-button.tsx';

/** Shown once: the server keeps only hashes of these codes, so they can never be displayed again. */
export function RecoveryCodesStep({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [saved, setSaved] = useState(false);
  return (
    <AuthLayout
      title="Save your recovery codes"
      subtitle="If you lose your phone, each of these codes lets you sign in once instead of a code from the app."
    >
      <Alert severity="warning" sx={{ mb: 2 }}>
        This is the only time these codes are shown. Keep them somewhere safe, such as your password manager.
      </Alert>
      <Box
        component="ol"
        aria-label="Recovery codes"
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(2, 1fr)',
          gap: 1,
          p: 2,
          m: 0,
          mb: 2,
          listStylePosition: 'inside',
          fontFamily: 'monospace',
          fontSize: '1rem',
          bgcolor: 'grey.100',
          borderRadius: 1,
        }}
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </Box>
      <CopyButton text={codes.join('\n')} label="Copy all codes" />
      <FormControlLabel
        sx={{ display: 'flex', mt: 2, mb: 2 }}
        control={<Checkbox checked={saved} onChange={(e) => setSaved(e.target.checked)} />}
        label="I have saved my recovery codes"
      />
      <Button variant="contained" size="large" fullWidth disabled={!saved} onClick={onDone}>
        Continue to Paydesk
      </Button>
    </AuthLayout>
  );
}
