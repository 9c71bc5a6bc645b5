import DevicesIcon from '@mui/icons-material/Devices';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { VisuallyHidden } from '../../components/visually-hidden.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { toast } from '../../lib/toasts.ts';
import { trpc, type RouterOutputs } from '../../lib/trpc.ts';
import { describeAgent } from './describe-agent.ts';

type Session = RouterOutputs['session']['list'][number];

function When({ iso }: { iso: string }) {
  return (
    <Tooltip title={formatDateTime(iso, { seconds: true })}>
      <time dateTime={iso}>{formatRelative(iso)}</time>
    </Tooltip>
  );
}

export function Component() {
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.session.list.queryOptions());
  const [ending, setEnding] = useState<Session | null>(null);
  const [endingOthers, setEndingOthers] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.session.list.queryKey() });

  const revoke = useMutation(
    trpc.session.revoke.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: async () => {
        await refresh();
        toast('success', 'That session was ended: the device has to sign in again.');
        setEnding(null);
      },
    }),
  );
  const revokeOthers = useMutation(
    trpc.session.revokeOthers.mutationOptions({
      meta: { inlineErrors: true },
      onSuccess: async ({ revoked }) => {
        await refresh();
        toast(
          'success',
          revoked === 1 ? 'One other session was ended.' : `${revoked} other sessions were ended.`,
        );
        setEndingOthers(false);
      },
    }),
  );

  const others = (sessions.data ?? []).filter((s) => !s.current).length;

  const body = (() => {
    if (sessions.isPending) return <Loading label="Loading your sessions…" />;
    if (sessions.isError)
      return <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />;
    if (sessions.data.length === 0) return <EmptyState icon={<DevicesIcon />} title="No active sessions" />;
    return (
      <TableContainer component={Paper}>
        <Table aria-label="Your active sessions">
          <TableHead>
            <TableRow>
              <TableCell>Device</TableCell>
              <TableCell>IP address</TableCell>
              <TableCell>Signed in</TableCell>
              <TableCell>Last active</TableCell>
              <TableCell>Expires</TableCell>
              <TableCell align="right">
                <VisuallyHidden>Actions</VisuallyHidden>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {sessions.data.map((session) => (
              <TableRow key={session.id}>
                <TableCell>
                  <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
                    {describeAgent(session.userAgent)}
                  </Typography>
                  {session.current ? (
                    <Chip
                      size="small"
                      label="This browser"
                      color="primary"
                      variant="outlined"
                      sx={{ ml: 1 }}
                    />
                  ) : null}
                </TableCell>
                <TableCell>{session.ip ?? '—'}</TableCell>
                <TableCell>
                  <When iso={session.createdAt} />
                </TableCell>
                <TableCell>
                  <When iso={session.lastSeenAt} />
                </TableCell>
                <TableCell>
                  <When iso={session.expiresAt} />
                </TableCell>
                <TableCell align="right">
                  {session.current ? (
                    <Typography variant="body2" color="text.secondary">
                      Use “Sign out”
                    </Typography>
                  ) : (
                    <Button
                      size="small"
                      color="error"
                      onClick={() => {
                        revoke.reset();
                        setEnding(session);
                      }}
                      aria-label={`End the session of ${describeAgent(session.userAgent)} from ${session.ip ?? 'an unknown address'}`}
                    >
                      End session
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    );
  })();

  return (
    <>
      <PageHeader
        title="Sessions"
        description="Where you are signed in. A session ends after 15 minutes without activity, or 12 hours after sign-in. End any you do not recognise, then change your password."
        actions={
          <Button
            variant="outlined"
            color="error"
            disabled={others === 0}
            onClick={() => {
              revokeOthers.reset();
              setEndingOthers(true);
            }}
          >
            End all other sessions
          </Button>
        }
      />
      {body}
      <ConfirmDialog
        open={ending !== null}
        title="End this session?"
        confirmLabel="End session"
        destructive
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => ending && revoke.mutate({ id: ending.id })}
        onClose={() => setEnding(null)}
      >
        {ending
          ? `${describeAgent(ending.userAgent)} (${ending.ip ?? 'unknown address'}) will have to sign in again.`
          : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={endingOthers}
        title="End all other sessions?"
        confirmLabel={others === 1 ? 'End 1 session' : `End ${others} sessions`}
        destructive
        pending={revokeOthers.isPending}
        error={revokeOthers.error}
        onConfirm={() => revokeOthers.mutate()}
        onClose={() => setEndingOthers(false)}
      >
        Every other browser and device signed in as you will have to sign in again. This browser stays signed
        in.
      </ConfirmDialog>
    </>
  );
}
