/**
 * The timeline as the page tells it: the ledger's events, grouped under the webhook delivery that
 * caused them, plus the deliveries that changed nothing (a duplicate, a rejected one), newest first.
 */
import { providerCapabilities } from '@paydesk/domain';
import { humanize, isProviderName } from './status.ts';
import type { Delivery, TimelineEvent } from './types.ts';

export type Tone = 'neutral' | 'success' | 'warning' | 'error' | 'primary';

/** Which icon a row shows; timeline.tsx maps each to an MUI icon. */
export type EventIcon =
  | 'discovered'
  | 'status'
  | 'operation-added'
  | 'operation-changed'
  | 'webhook'
  | 'webhook-rejected'
  | 'ignored'
  | 'missed'
  | 'provider-call'
  | 'provider-call-failed'
  | 'user'
  | 'other';

export interface EventLook {
  label: string;
  icon: EventIcon;
  tone: Tone;
}

const eventLooks: Readonly<Record<string, EventLook>> = {
  discovered: { label: 'First seen', icon: 'discovered', tone: 'primary' },
  status_changed: { label: 'Status changed', icon: 'status', tone: 'primary' },
  operation_added: { label: 'Operation added', icon: 'operation-added', tone: 'neutral' },
  operation_changed: { label: 'Operation updated', icon: 'operation-changed', tone: 'neutral' },
  webhook_rejected: { label: 'Webhook rejected', icon: 'webhook-rejected', tone: 'error' },
  stale_ignored: { label: 'Older state ignored', icon: 'ignored', tone: 'warning' },
  regression_ignored: { label: 'Backward move ignored', icon: 'ignored', tone: 'warning' },
  missed_webhook: { label: 'Missed webhook', icon: 'missed', tone: 'warning' },
  provider_call: { label: 'Provider call', icon: 'provider-call', tone: 'neutral' },
};

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function detailString(event: Pick<TimelineEvent, 'details'>, key: string): string | null {
  const value = record(event.details)[key];
  return typeof value === 'string' ? value : null;
}

function detailNumber(event: Pick<TimelineEvent, 'details'>, key: string): number | null {
  const value = record(event.details)[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The label, icon and tone of an event; a type this page does not know still reads as words. */
export function eventLook(event: Pick<TimelineEvent, 'type' | 'source' | 'details'>): EventLook {
  if (event.type === 'provider_call') {
    const failed = detailString(event, 'outcome') === 'failed';
    const call = detailString(event, 'call');
    return {
      label: `Provider call${call ? `: ${call === 'lookup' ? 'look-up' : humanize(call).toLowerCase()}` : ''}`,
      icon: failed ? 'provider-call-failed' : 'provider-call',
      tone: failed ? 'error' : 'success',
    };
  }
  const known = eventLooks[event.type];
  if (known) return known;
  return { label: humanize(event.type), icon: event.source === 'user' ? 'user' : 'other', tone: 'neutral' };
}

const sourceLabels: Readonly<Record<string, string>> = {
  webhook: 'Webhook',
  lookup: 'Look-up',
  reconciliation: 'Reconciliation',
  listing: 'Provider listing',
  user: 'User action',
};

export function sourceLabel(source: string): string {
  return sourceLabels[source] ?? humanize(source);
}

/** The outcome of a provider call, for its chips: latency and whether it answered. */
export function providerCallOutcome(
  event: Pick<TimelineEvent, 'type' | 'details'>,
): { latencyMs: number | null; ok: boolean; by: string | null; failure: string | null } | null {
  if (event.type !== 'provider_call') return null;
  const ok = detailString(event, 'outcome') !== 'failed';
  const kind = detailString(event, 'kind');
  const httpStatus = detailNumber(event, 'httpStatus');
  const failure = ok
    ? null
    : [kind ? humanize(kind) : null, httpStatus ? `HTTP ${httpStatus}` : null].filter(Boolean).join(' · ') ||
      null;
  return { latencyMs: detailNumber(event, 'latencyMs'), ok, by: detailString(event, 'by'), failure };
}

/** A status change's two ends, when the event carries them. */
export function statusChange(
  event: Pick<TimelineEvent, 'type' | 'details'>,
): { from: string; to: string } | null {
  if (event.type !== 'status_changed' && event.type !== 'missed_webhook') return null;
  const from = detailString(event, 'from');
  const to = detailString(event, 'to');
  return from && to ? { from, to } : null;
}

const rejectReasonLabels: Readonly<Record<string, string>> = {
  bad_signature: 'Bad signature',
  missing_signature: 'No signature',
  malformed: 'Malformed body',
  unknown_shape: 'Unrecognised content',
  connection_disabled: 'Connection disabled',
};

/** What a rejection says about the signature: only these two reasons are about it. */
const rejectedSignatureLabels: Readonly<Record<string, string>> = {
  bad_signature: 'Signature does not match',
  missing_signature: 'Signature missing',
};

export function rejectReasonLabel(reason: string | null): string {
  return reason ? (rejectReasonLabels[reason] ?? humanize(reason)) : 'Rejected';
}

const deliveryStateLooks: Readonly<Record<string, { label: string; tone: Tone }>> = {
  applied: { label: 'Applied', tone: 'success' },
  pending: { label: 'Waiting to be applied', tone: 'neutral' },
  rejected: { label: 'Rejected', tone: 'error' },
  failed: { label: 'Failed to apply', tone: 'error' },
};

export function deliveryStateLook(state: string): { label: string; tone: Tone } {
  return deliveryStateLooks[state] ?? { label: humanize(state), tone: 'neutral' };
}

/** How the webhook was authenticated, in a few words, and whether that is good news. */
export function verificationLook(
  delivery: Pick<Delivery, 'state' | 'verifiedWith' | 'rejectReason' | 'rejectDetail'>,
  provider: string,
): { label: string; tone: Tone; detail: string | null } {
  if (delivery.state === 'rejected') {
    return {
      label: rejectedSignatureLabels[delivery.rejectReason ?? ''] ?? 'Not verified',
      tone: 'error',
      detail: `Rejected (${rejectReasonLabel(delivery.rejectReason).toLowerCase()})${
        delivery.rejectDetail ? `: ${delivery.rejectDetail}` : ''
      }. Nothing in it was applied.`,
    };
  }
  switch (delivery.verifiedWith) {
    case 'current':
      return { label: 'Signature verified', tone: 'success', detail: null };
    case 'previous':
      return {
        label: 'Signature verified (previous secret)',
        tone: 'warning',
        detail:
          'Signed with the webhook secret replaced by the last rotation, still accepted while it overlaps.',
      };
    case 'none':
      return isProviderName(provider) && providerCapabilities[provider].webhooks === 'hint'
        ? {
            label: 'Unsigned hint',
            tone: 'neutral',
            detail:
              'This provider does not sign its webhooks: Paydesk looked the state up with its own credentials.',
          }
        : { label: 'Not signed', tone: 'warning', detail: 'No webhook secret is set for this connection.' };
    default:
      return { label: 'Not verified', tone: 'neutral', detail: null };
  }
}

export type TimelineEntry =
  | { kind: 'event'; key: string; at: string; event: TimelineEvent }
  | {
      kind: 'webhook';
      key: string;
      at: string;
      deliveryId: number;
      /** Null when the delivery is older than the deliveries the API sends. */
      delivery: Delivery | null;
      /** What the delivery caused, newest first; empty when it changed nothing. */
      events: TimelineEvent[];
    };

/**
 * Events that came from one delivery are shown under it; deliveries that caused no event still get a
 * row of their own, so every webhook received about the transaction is on the timeline.
 */
export function buildTimeline(
  events: readonly TimelineEvent[],
  deliveries: readonly Delivery[],
): TimelineEntry[] {
  const byDelivery = new Map<number, TimelineEvent[]>();
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    if (event.deliveryId === null) {
      entries.push({ kind: 'event', key: `event-${event.id}`, at: event.at, event });
      continue;
    }
    const group = byDelivery.get(event.deliveryId);
    if (group) group.push(event);
    else byDelivery.set(event.deliveryId, [event]);
  }
  const known = new Map(deliveries.map((delivery) => [delivery.id, delivery]));
  for (const [deliveryId, group] of byDelivery) {
    const delivery = known.get(deliveryId) ?? null;
    const latest = group.reduce((a, b) => (b.at > a ? b.at : a), group[0]!.at);
    entries.push({
      kind: 'webhook',
      key: `delivery-${deliveryId}`,
      at: delivery?.receivedAt ?? latest,
      deliveryId,
      delivery,
      events: sortNewestFirst(
        group,
        (e) => e.at,
        (e) => e.id,
      ),
    });
  }
  for (const delivery of deliveries) {
    if (byDelivery.has(delivery.id)) continue;
    entries.push({
      kind: 'webhook',
      key: `delivery-${delivery.id}`,
      at: delivery.receivedAt,
      deliveryId: delivery.id,
      delivery,
      events: [],
    });
  }
  return sortNewestFirst(entries, (e) => e.at, tieBreak);
}

function tieBreak(entry: TimelineEntry): number {
  return entry.kind === 'event' ? entry.event.id : (entry.events[0]?.id ?? 0);
}

function sortNewestFirst<T>(items: readonly T[], at: (item: T) => string, id: (item: T) => number): T[] {
  return [...items].sort((a, b) => {
    const time = Date.parse(at(b)) - Date.parse(at(a));
    return time !== 0 ? time : id(b) - id(a);
  });
}

/** "Showing the latest 500 of 812 events", or null when the page has them all. */
export function truncationNote(shown: number, total: number): string | null {
  return total > shown ? `Showing the latest ${shown} of ${total} events.` : null;
}

/** The head of a webhook row: what the delivery was, and which of its events are worth listing. */
export function webhookEntryLook(entry: Extract<TimelineEntry, { kind: 'webhook' }>): {
  look: EventLook;
  effects: TimelineEvent[];
} {
  const rejected =
    entry.delivery?.state === 'rejected' || entry.events.some((event) => event.type === 'webhook_rejected');
  const look: EventLook = rejected
    ? { label: 'Webhook rejected', icon: 'webhook-rejected', tone: 'error' }
    : { label: 'Webhook received', icon: 'webhook', tone: 'neutral' };
  // The row's head already says it was rejected, and why, when the delivery is at hand.
  const effects = entry.delivery
    ? entry.events.filter((event) => event.type !== 'webhook_rejected')
    : entry.events;
  return { look, effects };
}
