import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useId } from 'react';
import { CopyButton } from '../../components/copy-button.tsx';

export interface IssuedLink {
  name: string;
  email: string;
  setupUrl: string;
  created: boolean;
}

/** The server keeps only a hash of the token, so this is the one time the link can be shown. */
export function SetupLinkDialog({ link, onClose }: { link: IssuedLink | null; onClose: () => void }) {
  const titleId = useId();
  return (
    <Dialog open={link !== null} onClose={onClose} aria-labelledby={titleId} maxWidth="sm" fullWidth>
      {link ? (
        <>
          <DialogTitle id={titleId}>
            {link.created ? `${link.name} was added` : `New setup link for ${link.name}`}
          </DialogTitle>
          <DialogContent>
            <DialogContentText sx={{ mb: 2 }}>
              Send this link to {link.email} privately. It lets them choose a password. It works{' '}
              <strong>once</strong> and is valid for <strong>24 hours</strong>.
            </DialogContentText>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
              <TextField
                label="Setup link"
                value={link.setupUrl}
                sx={{ flex: '1 1 320px' }}
                slotProps={{
                  htmlInput: {
                    readOnly: true,
                    spellCheck: false,
                    onFocus: (e: React.FocusEvent<HTMLInputElement>) => e.target.select(),
                  },
                }}
              />
              <CopyButton text={link.setupUrl} label="Copy link" />
            </Box>
            <Alert severity="warning" sx={{ mt: 2 }}>
              This link is not shown again. If it is lost, issue a new one from the user’s actions.
            </Alert>
          </DialogContent>
          <DialogActions>
            <Button variant="contained" onClick={onClose}>
              Done
            </Button>
          </DialogActions>
        </>
      ) : null}
    </Dialog>
  );
}
