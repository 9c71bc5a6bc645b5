import AddCircleIcon from '@mui/icons-material/AddCircleOutlineOutlined';
import BlockIcon from '@mui/icons-material/Block';
import CloudDoneIcon from '@mui/icons-material/CloudDone';
import CloudOffIcon from '@mui/icons-material/CloudOff';
import DotIcon from '@mui/icons-material/FiberManualRecord';
import GppBadIcon from '@mui/icons-material/GppBad';
import NotificationImportantIcon from '@mui/icons-material/NotificationImportant';
import PersonIcon from '@mui/icons-material/Person';
import PlaylistAddIcon from '@mui/icons-material/PlaylistAdd';
import SwapHorizIcon from '@mui/icons-material/SwapHoriz';
import UpdateIcon from '@mui/icons-material/Update';
import WebhookIcon from '@mui/icons-material/Webhook';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { alpha, type Theme } from '@mui/material/styles';
import { useMemo, useState, type ReactNode } from 'react';
import { VisuallyHidden } from '../../components/visually-hidden.tsx';
import { ToneChip, VerificationChip } from './delivery-chips.tsx';
import { Instant, Section, StatusChip } from './parts.tsx';
import { transactionStatusLook } from './status.ts';
import { formatInstant } from './time.ts';
import {
  buildTimeline,
  detailString,
  eventLook,
  providerCallOutcome,
  rejectReasonLabel,
  sourceLabel,
  statusChange,
  truncationNote,
  verificationLook,
  webhookEntryLook,
  type EventIcon,
  type EventLook,
  type TimelineEntry,
  type Tone,
} from './timeline-model.ts';
import type { Delivery, TimelineEvent } from './types.ts';

const icons: Readonly<Record<EventIcon, typeof DotIcon>> = {
  discovered: AddCircleIcon,
  status: SwapHorizIcon,
  'operation-added': PlaylistAddIcon,
  'operation-changed': UpdateIcon,
  webhook: WebhookIcon,
  'webhook-rejected': GppBadIcon,
  ignored: BlockIcon,
  missed: NotificationImportantIcon,
  'provider-call': CloudDoneIcon,
  'provider-call-failed': CloudOffIcon,
  user: PersonIcon,
  other: DotIcon,
};

function toneColor(theme: Theme, tone: Tone): string {
  switch (tone) {
    case 'success':
      return theme.palette.success.main;
    case 'warning':
      return theme.palette.warning.main;
    case 'error':
      return theme.palette.error.main;
    case 'primary':
      return theme.palette.primary.main;
    case 'neutral':
      return theme.palette.grey[700];
  }
}

function EventBadge({ look, small = false }: { look: EventLook; small?: boolean }) {
  const Icon = icons[look.icon];
  const size = small ? 24 : 34;
  return (
    <Box
      aria-hidden
      sx={(theme) => ({
        width: size,
        height: size,
        flex: `0 0 ${size}px`,
        borderRadius: '50%',
        display: 'grid',
        placeItems: 'center',
        color: toneColor(theme, look.tone),
        bgcolor: alpha(toneColor(theme, look.tone), 0.1),
        border: 1,
        borderColor: alpha(toneColor(theme, look.tone), 0.35),
        '& svg': { fontSize: small ? 14 : 18 },
      })}
    >
      <Icon />
    </Box>
  );
}

/** Chips that say more than the summary: a status change's two ends, a provider call's outcome. */
function EventFacts({ event }: { event: TimelineEvent }) {
  const change = statusChange(event);
  const call = providerCallOutcome(event);
  const facts: ReactNode[] = [];
  if (change) {
    facts.push(
      <Box key="change" component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}>
        <StatusChip look={transactionStatusLook(change.from)} />
        <Box component="span" aria-hidden>
          →
        </Box>
        <VisuallyHidden>to</VisuallyHidden>
        <StatusChip look={transactionStatusLook(change.to)} />
      </Box>,
    );
  }
  if (call) {
    facts.push(
      <ToneChip key="outcome" label={call.ok ? 'Answered' : 'Failed'} tone={call.ok ? 'success' : 'error'} />,
    );
    if (call.latencyMs !== null)
      facts.push(<ToneChip key="latency" label={`${call.latencyMs} ms`} tone="neutral" />);
    if (call.failure) facts.push(<ToneChip key="failure" label={call.failure} tone="error" />);
  }
  if (event.type === 'webhook_rejected') {
    facts.push(
      <ToneChip key="reason" label={rejectReasonLabel(detailString(event, 'reason'))} tone="error" />,
    );
  }
  if (facts.length === 0) return null;
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 0.75, mt: 0.75 }}>{facts}</Box>
  );
}

function byline(event: TimelineEvent): string {
  const by = detailString(event, 'by');
  return by ? `${sourceLabel(event.source)} by ${by}` : sourceLabel(event.source);
}

function EntryFrame({
  look,
  at,
  children,
  last,
}: {
  look: EventLook;
  at: string;
  children: ReactNode;
  last: boolean;
}) {
  return (
    <Box component="li" sx={{ display: 'flex', gap: 2, position: 'relative', pb: last ? 0 : 2.5 }}>
      {last ? null : (
        <Box
          aria-hidden
          sx={{ position: 'absolute', left: 16, top: 36, bottom: 0, width: 2, bgcolor: 'divider' }}
        />
      )}
      <EventBadge look={look} />
      <Box sx={{ flex: 1, minWidth: 0, pt: 0.5 }}>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', columnGap: 1.5 }}>
          <Typography component="h3" variant="subtitle2" sx={{ fontWeight: 600 }}>
            {look.label}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            <Instant iso={at} />
          </Typography>
        </Box>
        {children}
      </Box>
    </Box>
  );
}

function EventRow({ entry, last }: { entry: Extract<TimelineEntry, { kind: 'event' }>; last: boolean }) {
  const { event } = entry;
  return (
    <EntryFrame look={eventLook(event)} at={event.at} last={last}>
      <Typography variant="body2">{event.summary}</Typography>
      <Typography variant="caption" color="text.secondary">
        {byline(event)}
      </Typography>
      <EventFacts event={event} />
    </EntryFrame>
  );
}

function WebhookRow({
  entry,
  provider,
  last,
  onOpen,
}: {
  entry: Extract<TimelineEntry, { kind: 'webhook' }>;
  provider: string;
  last: boolean;
  onOpen: (delivery: Delivery) => void;
}) {
  const { look, effects } = webhookEntryLook(entry);
  const { delivery } = entry;
  return (
    <EntryFrame look={look} at={entry.at} last={last}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 0.75, mt: 0.5 }}>
        <Typography variant="body2" component="span">
          Webhook #{entry.deliveryId}
        </Typography>
        {delivery ? <VerificationChip delivery={delivery} provider={provider} /> : null}
        {delivery && delivery.duplicates > 0 ? (
          <ToneChip
            label={`${delivery.duplicates} duplicate${delivery.duplicates === 1 ? '' : 's'} ignored`}
            tone="neutral"
          />
        ) : null}
        {delivery ? (
          <Button
            size="small"
            aria-haspopup="dialog"
            aria-label={`View webhook #${delivery.id} received ${formatInstant(delivery.receivedAt)}`}
            onClick={() => onOpen(delivery)}
            sx={{ ml: 'auto' }}
          >
            View webhook
          </Button>
        ) : null}
      </Box>
      {delivery?.state === 'rejected' ? (
        <Typography variant="body2" color="error" sx={{ mt: 0.5 }}>
          {verificationLook(delivery, provider).detail}
        </Typography>
      ) : null}
      {effects.length === 0 && delivery?.state !== 'rejected' ? (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
          {delivery?.state === 'pending'
            ? 'Waiting to be applied.'
            : 'Nothing changed: the transaction was already up to date.'}
        </Typography>
      ) : null}
      {effects.length > 0 ? (
        <Box
          component="ul"
          aria-label={`What webhook #${entry.deliveryId} changed`}
          sx={{ listStyle: 'none', p: 0, m: 0, mt: 1, display: 'grid', gap: 1 }}
        >
          {effects.map((event) => (
            <Box component="li" key={event.id} sx={{ display: 'flex', gap: 1.25 }}>
              <EventBadge look={eventLook(event)} small />
              <Box sx={{ minWidth: 0 }}>
                <Typography variant="body2">
                  <Box component="span" sx={{ fontWeight: 600 }}>
                    {eventLook(event).label}
                    {statusChange(event) ? null : ':'}
                  </Box>
                  {statusChange(event) ? null : ` ${event.summary}`}
                </Typography>
                <EventFacts event={event} />
              </Box>
            </Box>
          ))}
        </Box>
      ) : null}
    </EntryFrame>
  );
}

const firstPage = 30;

export function Timeline({
  events,
  total,
  deliveries,
  provider,
  onOpenDelivery,
}: {
  events: readonly TimelineEvent[];
  total: number;
  deliveries: readonly Delivery[];
  provider: string;
  onOpenDelivery: (delivery: Delivery) => void;
}) {
  const entries = useMemo(() => buildTimeline(events, deliveries), [events, deliveries]);
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? entries : entries.slice(0, firstPage);
  const note = truncationNote(events.length, total);
  return (
    <Section
      title="Timeline"
      description={
        <>
          Everything Paydesk saw happen to this transaction, newest first.
          {note ? ` ${note}` : null}
        </>
      }
    >
      {entries.length === 0 ? (
        <Typography color="text.secondary">Nothing has been recorded yet.</Typography>
      ) : (
        <>
          <Box component="ol" aria-label="Timeline events" sx={{ listStyle: 'none', p: 0, m: 0 }}>
            {shown.map((entry, index) =>
              entry.kind === 'event' ? (
                <EventRow key={entry.key} entry={entry} last={index === shown.length - 1} />
              ) : (
                <WebhookRow
                  key={entry.key}
                  entry={entry}
                  provider={provider}
                  last={index === shown.length - 1}
                  onOpen={onOpenDelivery}
                />
              ),
            )}
          </Box>
          {shown.length < entries.length ? (
            <Button onClick={() => setShowAll(true)} sx={{ mt: 2 }}>
              Show the {entries.length - shown.length} older entries
            </Button>
          ) : null}
        </>
      )}
    </Section>
  );
}
