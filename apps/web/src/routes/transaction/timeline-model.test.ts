import { describe, expect, it } from 'vitest';
import {
  buildTimeline,
  eventLook,
  providerCallOutcome,
  statusChange,
  truncationNote,
  verificationLook,
  webhookEntryLook,
} from './timeline-model.ts';
import type { Delivery, TimelineEvent } from './types.ts';

function event(overrides: Partial<TimelineEvent> & Pick<TimelineEvent, 'id' | 'at'>): TimelineEvent {
  return {
    type: 'status_changed',
    source: 'webhook',
    summary: 'processing → succeeded (webhook)',
    details: { from: 'processing', to: 'succeeded', rawStatus: 'paid' },
    deliveryId: null,
    ...overrides,
  };
}

function delivery(overrides: Partial<Delivery> & Pick<Delivery, 'id' | 'receivedAt'>): Delivery {
  return {
    state: 'applied',
    rejectReason: null,
    rejectDetail: null,
    verifiedWith: 'current',
    duplicates: 0,
    body: {},
    headers: {},
    ...overrides,
  };
}

describe('eventLook', () => {
  it('gives each known event type its label, icon and tone', () => {
    const look = (type: string) => eventLook({ type, source: 'webhook', details: null });
    expect(look('discovered')).toEqual({ label: 'First seen', icon: 'discovered', tone: 'primary' });
    expect(look('status_changed').icon).toBe('status');
    expect(look('operation_added').icon).toBe('operation-added');
    expect(look('operation_changed').icon).toBe('operation-changed');
    expect(look('webhook_rejected')).toEqual({
      label: 'Webhook rejected',
      icon: 'webhook-rejected',
      tone: 'error',
    });
    expect(look('stale_ignored').tone).toBe('warning');
    expect(look('regression_ignored').icon).toBe('ignored');
    expect(look('missed_webhook')).toMatchObject({ icon: 'missed', tone: 'warning' });
  });

  it('tells a provider call that answered from one that failed', () => {
    const ok = eventLook({
      type: 'provider_call',
      source: 'user',
      details: { call: 'lookup', outcome: 'ok' },
    });
    expect(ok).toEqual({ label: 'Provider call: look-up', icon: 'provider-call', tone: 'success' });
    const failed = eventLook({
      type: 'provider_call',
      source: 'user',
      details: { call: 'lookup', outcome: 'failed' },
    });
    expect(failed).toMatchObject({ icon: 'provider-call-failed', tone: 'error' });
  });

  it('reads an unknown type as words, with a person for user actions', () => {
    expect(eventLook({ type: 'refund_requested', source: 'user', details: null })).toEqual({
      label: 'Refund requested',
      icon: 'user',
      tone: 'neutral',
    });
    expect(eventLook({ type: 'something_new', source: 'webhook', details: null }).icon).toBe('other');
  });
});

describe('event details', () => {
  it('reads a provider call’s latency, outcome, actor and failure', () => {
    expect(
      providerCallOutcome({
        type: 'provider_call',
        details: {
          latencyMs: 182,
          outcome: 'failed',
          by: 'sam@example.com',
          kind: 'unavailable',
          httpStatus: 503,
        },
      }),
    ).toEqual({ latencyMs: 182, ok: false, by: 'sam@example.com', failure: 'Unavailable · HTTP 503' });
    expect(providerCallOutcome({ type: 'provider_call', details: { latencyMs: 40, outcome: 'ok' } })).toEqual(
      {
        latencyMs: 40,
        ok: true,
        by: null,
        failure: null,
      },
    );
    expect(providerCallOutcome({ type: 'status_changed', details: {} })).toBeNull();
  });

  it('reads a status change’s two ends, and ignores what is not one', () => {
    expect(statusChange({ type: 'status_changed', details: { from: 'processing', to: 'declined' } })).toEqual(
      {
        from: 'processing',
        to: 'declined',
      },
    );
    expect(statusChange({ type: 'status_changed', details: { from: 'processing' } })).toBeNull();
    expect(statusChange({ type: 'operation_changed', details: { from: 'a', to: 'b' } })).toBeNull();
    expect(statusChange({ type: 'status_changed', details: 'not an object' })).toBeNull();
  });
});

describe('verificationLook', () => {
  it('says why a rejected webhook was rejected', () => {
    const look = verificationLook(
      delivery({
        id: 1,
        receivedAt: '2026-03-01T10:00:00Z',
        state: 'rejected',
        verifiedWith: null,
        rejectReason: 'bad_signature',
        rejectDetail: 'X-Signature does not match the body',
      }),
      'paytone',
    );
    expect(look).toEqual({
      label: 'Signature does not match',
      tone: 'error',
      detail: 'Rejected (bad signature): X-Signature does not match the body. Nothing in it was applied.',
    });
    const disabled = verificationLook(
      delivery({ id: 2, receivedAt: '', state: 'rejected', rejectReason: 'connection_disabled' }),
      'gate',
    );
    expect(disabled.label).toBe('Not verified');
  });

  it('names the secret that verified it, and explains unsigned hints', () => {
    const at = '2026-03-01T10:00:00Z';
    expect(verificationLook(delivery({ id: 1, receivedAt: at }), 'paytone').label).toBe('Signature verified');
    expect(
      verificationLook(delivery({ id: 1, receivedAt: at, verifiedWith: 'previous' }), 'paytone').tone,
    ).toBe('warning');
    expect(verificationLook(delivery({ id: 1, receivedAt: at, verifiedWith: 'none' }), 'gate').label).toBe(
      'Unsigned hint',
    );
    expect(verificationLook(delivery({ id: 1, receivedAt: at, verifiedWith: 'none' }), 'paytone').label).toBe(
      'Not signed',
    );
  });
});

describe('buildTimeline', () => {
  const applied = delivery({ id: 10, receivedAt: '2026-03-01T10:00:00Z' });
  const duplicateOnly = delivery({ id: 11, receivedAt: '2026-03-01T11:00:00Z', duplicates: 2 });
  const rejected = delivery({
    id: 12,
    receivedAt: '2026-03-01T12:00:00Z',
    state: 'rejected',
    verifiedWith: null,
    rejectReason: 'bad_signature',
  });
  const events = [
    event({
      id: 5,
      at: '2026-03-01T13:00:00Z',
      type: 'provider_call',
      source: 'user',
      details: { outcome: 'ok' },
    }),
    event({
      id: 4,
      at: '2026-03-01T12:00:00Z',
      type: 'webhook_rejected',
      deliveryId: 12,
      details: { reason: 'bad_signature' },
    }),
    event({ id: 3, at: '2026-03-01T10:00:01Z', deliveryId: 10 }),
    event({ id: 2, at: '2026-03-01T10:00:01Z', type: 'operation_added', deliveryId: 10 }),
    event({ id: 1, at: '2026-03-01T09:00:00Z', type: 'discovered', source: 'lookup' }),
  ];

  it('groups events under their delivery, keeps idle deliveries, newest first', () => {
    const entries = buildTimeline(events, [rejected, duplicateOnly, applied]);
    expect(entries.map((e) => e.key)).toEqual([
      'event-5',
      'delivery-12',
      'delivery-11',
      'delivery-10',
      'event-1',
    ]);
    const webhook = entries[3];
    expect(webhook?.kind === 'webhook' && webhook.events.map((e) => e.id)).toEqual([3, 2]);
    const idle = entries[2];
    expect(idle?.kind === 'webhook' && idle.events).toEqual([]);
  });

  it('heads a rejected delivery as rejected, without repeating its rejection event', () => {
    const entries = buildTimeline(events, [rejected]);
    const row = entries.find((e) => e.key === 'delivery-12');
    if (row?.kind !== 'webhook') throw new Error('expected a webhook row');
    const { look, effects } = webhookEntryLook(row);
    expect(look).toMatchObject({ label: 'Webhook rejected', tone: 'error' });
    expect(effects).toEqual([]);
  });

  it('keeps events of a delivery older than the ones sent, under its number', () => {
    const entries = buildTimeline(events, []);
    const row = entries.find((e) => e.key === 'delivery-12');
    if (row?.kind !== 'webhook') throw new Error('expected a webhook row');
    expect(row.delivery).toBeNull();
    expect(row.at).toBe('2026-03-01T12:00:00Z');
    // Without the delivery at hand, its rejection event is what says so.
    expect(webhookEntryLook(row).effects.map((e) => e.type)).toEqual(['webhook_rejected']);
  });
});

describe('truncationNote', () => {
  it('says how many of how many events are shown, only when some are missing', () => {
    expect(truncationNote(500, 812)).toBe('Showing the latest 500 of 812 events.');
    expect(truncationNote(6, 6)).toBeNull();
  });
});
