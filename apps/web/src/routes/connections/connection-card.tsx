import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { formatDateTime } from '../../lib/format.ts';
import { trpc } from '../../lib/trpc.ts';
import { useReplaceConnection } from './cache.ts';
import { ConnectionActionsButton, type ConnectionAction } from './connection-actions-button.tsx';
import { modeCopy, signingSummary } from './copy.ts';
import { counterLabel, shownCredential } from './form.ts';
import type { ConnectionRow, ProviderForm } from './types.ts';
import { WebhookUrlField } from './webhook-url-field.tsx';

const count = new Intl.NumberFormat();

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" variant="body2" sx={{ fontWeight: 600, color: 'text.secondary' }}>
        {term}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, minWidth: 0 }}>
        {children}
      </Typography>
    </>
  );
}

function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** Credential fields in the provider form's order: values shown in clear, secrets as their hint. */
function credentialRows(connection: ConnectionRow, form: ProviderForm | undefined) {
  const known = form?.fields ?? [];
  const rows = known.flatMap((field) => {
    const value = shownCredential(connection, field.name);
    return value === undefined ? [] : [{ name: field.name, label: field.label, value }];
  });
  // A field the form no longer lists is still shown, under its own name.
  for (const name of [...Object.keys(connection.settings), ...Object.keys(connection.credentialHints)]) {
    if (known.some((f) => f.name === name) || rows.some((r) => r.name === name)) continue;
    rows.push({ name, label: name, value: shownCredential(connection, name) ?? '' });
  }
  return rows;
}

export function ConnectionCard({
  connection,
  form,
  providerName,
  canManage,
  onAction,
}: {
  connection: ConnectionRow;
  form: ProviderForm | undefined;
  providerName: string;
  canManage: boolean;
  onAction: (action: ConnectionAction) => void;
}) {
  const titleId = useId();
  const replace = useReplaceConnection();
  // The result is shown, and announced, in the card's "Last test" rather than as a toast: a failure
  // is an answer from the provider, not an error of Paydesk, and the admin acts on it right here.
  const test = useMutation(
    trpc.connection.test.mutationOptions({ onSuccess: (updated) => replace(updated) }),
  );
  const { lastTest } = connection;
  const counters = Object.entries(connection.counters);

  return (
    <Paper component="section" aria-labelledby={titleId} sx={{ p: { xs: 2, sm: 3 } }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: 2, mb: 2 }}>
        <Box sx={{ flex: '1 1 280px', minWidth: 0 }}>
          <Typography id={titleId} variant="h2" component="h2" sx={{ overflowWrap: 'anywhere' }}>
            {connection.name}
          </Typography>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mt: 1 }}>
            <Chip size="small" label={providerName} />
            <Chip
              size="small"
              variant="outlined"
              label={modeCopy[connection.mode].chip}
              color={connection.mode === 'live' ? 'warning' : 'default'}
            />
            <Chip
              size="small"
              variant="outlined"
              label={connection.enabled ? 'Enabled' : 'Disabled'}
              color={connection.enabled ? 'success' : 'default'}
            />
          </Box>
        </Box>
        {canManage ? (
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
            <Button
              variant="outlined"
              loading={test.isPending}
              onClick={() => test.mutate({ id: connection.id })}
            >
              Test connection
            </Button>
            <ConnectionActionsButton connection={connection} onAction={onAction} />
          </Box>
        ) : null}
      </Box>
      {connection.enabled ? null : (
        <Alert severity="warning" sx={{ mb: 2 }}>
          Disabled: {providerName}’s webhooks for this account are refused and its transactions are not
          checked.
        </Alert>
      )}
      <Box
        component="dl"
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: '1fr', sm: '160px minmax(0, 1fr)' },
          columnGap: 3,
          rowGap: { xs: 0.5, sm: 1.5 },
          m: 0,
          '& dd': { mb: { xs: 1.5, sm: 0 } },
        }}
      >
        <Detail term="Base URL">
          <Box component="code" sx={{ overflowWrap: 'anywhere' }}>
            {connection.baseUrl}
          </Box>
        </Detail>
        <Detail term="Credentials">
          <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }}>
            {credentialRows(connection, form).map((row) => (
              <li key={row.name}>
                {row.label}:{' '}
                <Box component="code" sx={{ overflowWrap: 'anywhere' }}>
                  {row.value}
                </Box>
              </li>
            ))}
          </Box>
        </Detail>
        <Detail term="Last test">
          <Box aria-live="polite" aria-atomic>
            {lastTest ? (
              <>
                <Box
                  component="span"
                  sx={{
                    display: 'inline-flex',
                    alignItems: 'center',
                    gap: 0.5,
                    fontWeight: 600,
                    color: lastTest.ok ? 'success.dark' : 'error.main',
                  }}
                >
                  {lastTest.ok ? (
                    <CheckCircleIcon fontSize="small" aria-hidden />
                  ) : (
                    <ErrorIcon fontSize="small" aria-hidden />
                  )}
                  {lastTest.ok ? 'Succeeded' : 'Failed'}
                </Box>{' '}
                · <Time iso={lastTest.at} />
                <Box component="span" sx={{ display: 'block' }}>
                  {lastTest.message}
                </Box>
              </>
            ) : (
              <>Not tested since the credentials were saved.</>
            )}
          </Box>
        </Detail>
        <Detail term="Webhooks">
          <Box component="span" sx={{ display: 'block', mb: 1.5 }}>
            {signingSummary(connection, form)}
            {connection.previousWebhookSecretUntil ? (
              <>
                {' '}
                The previous secret is accepted until <Time iso={connection.previousWebhookSecretUntil} />.
              </>
            ) : null}
          </Box>
          <WebhookUrlField url={connection.webhookUrl} />
        </Detail>
        <Detail term="Activity">
          <Box component="span" sx={{ display: 'block' }}>
            Last synchronised: {connection.lastSyncAt ? <Time iso={connection.lastSyncAt} /> : 'never'}
          </Box>
          {counters.length > 0 ? (
            <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0, mt: 0.5 }}>
              {counters.map(([name, value]) => (
                <li key={name}>
                  {counterLabel(name)}: <strong>{count.format(value)}</strong>
                </li>
              ))}
            </Box>
          ) : (
            <Box component="span" sx={{ display: 'block', color: 'text.secondary' }}>
              No webhook problems recorded.
            </Box>
          )}
        </Detail>
      </Box>
    </Paper>
  );
}
