/**
 * The connection forms' pure parts: what is sent for the provider's credential fields, the problems
 * found before sending, and how the server's field errors are matched to inputs.
 */
import type { AppErrorInfo } from '../../lib/app-error.ts';
import type { ConnectionRow, CredentialField } from './types.ts';

export type FieldValues = Record<string, string>;
export type Problems = Record<string, string>;

/** Where an input's error comes back from the server: `credentials.apiKey`, `name`, `webhookSecret`. */
export const credentialPath = (field: string): string => `credentials.${field}`;

/**
 * The credentials as the API takes them. Secrets are sent exactly as typed (the server trims and
 * checks them), an empty optional field is left out, and a number field is a number when it is one,
 * otherwise the text, so the server's message names what is wrong with it.
 */
export function credentialsInput(
  fields: readonly CredentialField[],
  values: FieldValues,
): Record<string, string | number> {
  const input: Record<string, string | number> = {};
  for (const field of fields) {
    const raw = values[field.name] ?? '';
    const text = raw.trim();
    if (text === '' && !field.required) continue;
    if (field.type === 'number') input[field.name] = /^\d+$/.test(text) ? Number(text) : text;
    else input[field.name] = field.secret ? raw : text;
  }
  return input;
}

/** Required inputs left empty, caught before a round trip. Everything else is the server's to judge. */
export function missingRequired(
  required: readonly { path: string; label: string; value: string }[],
): Problems {
  const problems: Problems = {};
  for (const { path, label, value } of required) {
    if (value.trim() === '') problems[path] = `${label} is required.`;
  }
  return problems;
}

/** The message shown under an input: the check made here first, then the server's for that exact path. */
export function problemAt(
  problems: Problems,
  failure: AppErrorInfo | null,
  path: string,
): string | undefined {
  return problems[path] ?? failure?.fields.find((f) => f.path === path)?.message;
}

/**
 * What the alert above a form says. A refusal that names fields shown in the form is told beside
 * them, so the alert says only that; anything else is the server's own message.
 */
export function formAlert(failure: AppErrorInfo | null, shownPaths: readonly string[]): AppErrorInfo | null {
  if (!failure) return null;
  const paths = new Set(failure.fields.map((f) => f.path));
  if (paths.size === 0 || [...paths].some((path) => !shownPaths.includes(path))) return failure;
  return {
    ...failure,
    userMessage: paths.size === 1 ? 'Correct the field marked below.' : 'Correct the fields marked below.',
  };
}

/** The first input, in form order, that has a problem: focus goes there after a refused submit. */
export function firstProblemPath(
  problems: Problems,
  failure: AppErrorInfo | null,
  order: readonly string[],
): string | undefined {
  return order.find((path) => problemAt(problems, failure, path) !== undefined);
}

/** A credential field's current value as the page may show it: a hint for a secret, else the value. */
export function shownCredential(connection: ConnectionRow, field: string): string | undefined {
  const hint = connection.credentialHints[field];
  if (hint !== undefined) return hint;
  const setting = connection.settings[field];
  return setting === undefined ? undefined : String(setting);
}

/** Non-secret values prefilled when credentials are replaced; secrets always start empty. */
export function prefilledCredentials(
  fields: readonly CredentialField[],
  connection: ConnectionRow,
): FieldValues {
  const values: FieldValues = {};
  for (const field of fields) {
    const setting = connection.settings[field.name];
    values[field.name] = !field.secret && setting !== undefined ? String(setting) : '';
  }
  return values;
}

export const defaultOverlapHours = 24;
/** The API's limit: a week. */
export const maxOverlapHours = 168;

/** Whole hours from 0 to a week, or the reason it is not. */
export function overlapProblem(text: string): string | undefined {
  if (!/^\d+$/.test(text.trim())) return 'Enter a whole number of hours (0 for none).';
  return Number(text.trim()) > maxOverlapHours ? `At most ${maxOverlapHours} hours (a week).` : undefined;
}

const counterLabels: Record<string, string> = {
  webhooks_accepted: 'Webhooks accepted',
  webhooks_rejected: 'Webhooks rejected',
  missed_webhooks: 'Missed webhooks (caught by reconciliation)',
  stale_webhooks: 'Late or duplicate webhooks',
  lookups_failed: 'Failed lookups',
  discovered_by_reconciliation: 'Found by reconciliation',
};

/** "webhooks_rejected" → "Webhooks rejected"; a counter this page does not know yet still reads well. */
export function counterLabel(name: string): string {
  const known = counterLabels[name];
  if (known) return known;
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
