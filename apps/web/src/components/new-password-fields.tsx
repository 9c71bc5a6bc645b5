import TextField from '@mui/material/TextField';
import { minPasswordLength, type NewPasswordProblems } from '../lib/password.ts';

export interface NewPasswordFieldsProps {
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  /** Shown only after a submit attempt, so the user is not scolded while typing. */
  problems: NewPasswordProblems;
  serverProblem?: string | undefined;
  autoFocus?: boolean;
}

export function NewPasswordFields({
  password,
  confirm,
  onPassword,
  onConfirm,
  problems,
  serverProblem,
  autoFocus,
}: NewPasswordFieldsProps) {
  const passwordProblem = problems.password ?? serverProblem;
  return (
    <>
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        autoFocus={autoFocus}
        value={password}
        onChange={(e) => onPassword(e.target.value)}
        error={Boolean(passwordProblem)}
        helperText={
          passwordProblem ??
          `At least ${minPasswordLength} characters. A few unrelated words make a strong one.`
        }
        sx={{ mb: 2 }}
      />
      <TextField
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => onConfirm(e.target.value)}
        error={Boolean(problems.confirm)}
        helperText={problems.confirm ?? ' '}
        sx={{ mb: 1 }}
      />
    </>
  );
}
