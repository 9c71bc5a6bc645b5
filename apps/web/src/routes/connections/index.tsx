import AddLinkIcon from '@mui/icons-material/AddLink';
import CableIcon from '@mui/icons-material/Cable';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/session.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { toast } from '../../lib/toasts.ts';
import { trpc } from '../../lib/trpc.ts';
import { AddConnectionDialog } from './add-connection-dialog.tsx';
import type { ConnectionAction } from './connection-actions-button.tsx';
import { ConnectionCard } from './connection-card.tsx';
import { ConnectedDialog } from './connected-dialog.tsx';
import { providerLabel } from './copy.ts';
import { EditConnectionDialog } from './edit-connection-dialog.tsx';
import { RotateCredentialsDialog } from './rotate-credentials-dialog.tsx';
import { RotateWebhookSecretDialog } from './rotate-webhook-secret-dialog.tsx';
import { SetEnabledDialog } from './set-enabled-dialog.tsx';
import type { ConnectionRow } from './types.ts';

export function Component() {
  const canManage = useCan('connection.manage');
  const connections = useQuery(trpc.connection.list.queryOptions());
  // The provider forms change only with a release.
  const forms = useQuery(trpc.connection.forms.queryOptions(undefined, { staleTime: Infinity }));
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<ConnectionRow | null>(null);
  const [pending, setPending] = useState<{ action: ConnectionAction; id: string } | null>(null);

  const formList = forms.data ?? [];
  const formFor = (connection: ConnectionRow) => formList.find((f) => f.provider === connection.provider);
  const nameOf = (connection: ConnectionRow) => providerLabel(connection.provider, formList);
  // Dialogs follow the list, so they see what a refetch brought.
  const target = pending ? connections.data?.find((c) => c.id === pending.id) : undefined;
  const targetForm = target ? formFor(target) : undefined;
  const close = () => setPending(null);

  const addButton = canManage ? (
    <Button
      variant="contained"
      startIcon={<AddLinkIcon />}
      disabled={!forms.data}
      onClick={() => setAdding(true)}
    >
      Add connection
    </Button>
  ) : null;

  let body;
  if (connections.isPending || forms.isPending) {
    body = <Loading label="Loading connections…" />;
  } else if (connections.isError || forms.isError) {
    const failed = connections.isError ? connections : forms;
    body = (
      <ErrorState
        error={failed.error}
        title="The connections could not be loaded"
        onRetry={() => void failed.refetch()}
      />
    );
  } else if (connections.data.length === 0) {
    body = (
      <EmptyState icon={<CableIcon />} title="No provider account is connected yet" action={addButton}>
        {canManage
          ? 'Add your account at Gate, Payment Book or Paytone with its API credentials. Paydesk then receives its webhooks and keeps every transaction in one place.'
          : 'An administrator connects the accounts at Gate, Payment Book and Paytone. Once they do, they are listed here.'}
      </EmptyState>
    );
  } else {
    body = (
      <Box sx={{ display: 'grid', gap: 2 }}>
        {connections.data.map((connection) => (
          <ConnectionCard
            key={connection.id}
            connection={connection}
            form={formFor(connection)}
            providerName={nameOf(connection)}
            canManage={canManage}
            onAction={(action) => setPending({ action, id: connection.id })}
          />
        ))}
      </Box>
    );
  }

  return (
    <>
      <PageHeader
        title="Connections"
        description="Your accounts at Gate, Payment Book and Paytone. Their credentials are stored encrypted: after saving, only their last four characters are shown."
        actions={connections.data && connections.data.length > 0 ? addButton : null}
      />
      {body}
      {adding && forms.data ? (
        <AddConnectionDialog
          forms={forms.data}
          onClose={() => setAdding(false)}
          onCreated={(connection) => {
            setAdding(false);
            setCreated(connection);
            toast('success', `${connection.name} was added.`);
          }}
        />
      ) : null}
      {created ? (
        <ConnectedDialog
          connection={created}
          form={formFor(created)}
          providerName={nameOf(created)}
          onClose={() => setCreated(null)}
        />
      ) : null}
      {target && pending?.action === 'edit' ? (
        <EditConnectionDialog connection={target} providerName={nameOf(target)} onClose={close} />
      ) : null}
      {target && targetForm && pending?.action === 'credentials' ? (
        <RotateCredentialsDialog connection={target} form={targetForm} onClose={close} />
      ) : null}
      {target && pending?.action === 'webhookSecret' ? (
        <RotateWebhookSecretDialog connection={target} form={targetForm} onClose={close} />
      ) : null}
      {target && (pending?.action === 'enable' || pending?.action === 'disable') ? (
        <SetEnabledDialog connection={target} providerName={nameOf(target)} onClose={close} />
      ) : null}
    </>
  );
}
