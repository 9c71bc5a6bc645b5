import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useId, useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error.tsx';
import { fieldMessage, readAppError } from '../../lib/app-error.ts';

/**
 * Names a view (to save it, or to rename it). What the server refuses about the name ("already used by
 * another of your views") is shown on the field; anything else above the form.
 */
export function ViewNameDialog({
  title,
  description,
  initialName = '',
  confirmLabel,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  title: string;
  description?: string;
  initialName?: string;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (name: string) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const [name, setName] = useState(initialName);
  const [tried, setTried] = useState(false);
  const failure = error ? readAppError(error) : null;
  const serverProblem = fieldMessage(failure, 'name');
  const localProblem = tried && !name.trim() ? 'Give the view a name.' : undefined;
  const problem = localProblem ?? serverProblem;
  const nameProblem = problem ? problem.charAt(0).toUpperCase() + problem.slice(1) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (name.trim()) onSubmit(name.trim());
  };

  return (
    <Dialog open onClose={pending ? undefined : onClose} aria-labelledby={titleId} maxWidth="xs" fullWidth>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>
          {description ? <DialogContentText sx={{ mb: 2 }}>{description}</DialogContentText> : null}
          <FormError error={failure && !serverProblem ? failure : null} />
          <TextField
            autoFocus
            label="Name"
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={Boolean(nameProblem)}
            helperText={nameProblem ?? 'At most 80 characters.'}
            slotProps={{ htmlInput: { maxLength: 80 } }}
            sx={{ mt: 1 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" loading={pending}>
            {confirmLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
