import TextField from '@mui/material/TextField';
import type { AppErrorInfo } from '../../lib/app-error.ts';
import { credentialPath, problemAt, type FieldValues, type Problems } from './form.ts';
import type { CredentialField } from './types.ts';

/** Props that keep a secret out of the browser's password manager, spell checker and autofill. */
export const secretInputProps = {
  type: 'password',
  autoComplete: 'off',
  slotProps: {
    htmlInput: { spellCheck: false, autoCapitalize: 'off', 'data-1p-ignore': true, 'data-lpignore': 'true' },
  },
} as const;

/** A provider's credential inputs, built from the form the API serves rather than written here. */
export function CredentialFields({
  fields,
  values,
  onChange,
  problems,
  failure,
  idFor,
  secretPlaceholder,
  autoFocus = false,
}: {
  fields: readonly CredentialField[];
  values: FieldValues;
  onChange: (name: string, value: string) => void;
  problems: Problems;
  failure: AppErrorInfo | null;
  idFor: (path: string) => string;
  /** What a secret input shows while empty (the current value's hint, when replacing it). */
  secretPlaceholder?: (field: CredentialField) => string | undefined;
  /** Focus the first field when the dialog opens. */
  autoFocus?: boolean;
}) {
  return fields.map((field, index) => {
    const path = credentialPath(field.name);
    const problem = problemAt(problems, failure, path);
    const helper = field.secret
      ? `${field.help ? `${field.help} ` : ''}Stored encrypted: after saving, only its last four characters are shown.`
      : (field.help ?? ' ');
    return (
      <TextField
        key={field.name}
        id={idFor(path)}
        label={field.label}
        required={field.required}
        autoFocus={autoFocus && index === 0}
        value={values[field.name] ?? ''}
        onChange={(e) => onChange(field.name, e.target.value)}
        error={Boolean(problem)}
        helperText={problem ?? helper}
        placeholder={field.secret ? secretPlaceholder?.(field) : undefined}
        sx={{ mt: 1 }}
        {...(field.secret
          ? secretInputProps
          : {
              autoComplete: 'off',
              slotProps: {
                htmlInput: {
                  spellCheck: false,
                  ...(field.type === 'number' ? { inputMode: 'numeric' } : {}),
                },
              },
            })}
      />
    );
  });
}
