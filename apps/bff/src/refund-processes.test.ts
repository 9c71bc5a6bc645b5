/**
 * Refunds across real BFF processes on one PostgreSQL database (skipped without DATABASE_URL):
 * fifty refund requests for one payment raced over two processes, and a process killed with SIGKILL
 * while the provider holds its answer to a refund it has already made. Money may move once or not at
 * all: the sandbox's own books are the judge. Each scenario has its own database, dropped at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, lookupTransaction, sweepRefunds, systemActor } from '@paydesk/api';
import type { OpenDb } from '@paydesk/db';
import type { ProviderName } from '@paydesk/domain';
import type { Sandbox } from '@paydesk/sandbox';
import { readEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { freePort, startBff, until, type BffProcess } from './test-support/bff-processes.ts';
import { closeScenario, openScenario, type Scenario } from './test-support/process-scenario.ts';

const serverUrl = readEnv().DATABASE_URL;
const onPostgres = serverUrl?.startsWith('postgres') === true;
const log = createLogger({ LOG_LEVEL: 'error', LOG_PRETTY: false });

/** A successful card payment at the provider, recorded on the ledger; its Paydesk id. */
async function pay(scenario: Scenario, provider: ProviderName, reference: string, amountMinor: bigint) {
  const { providerId } = await scenario.sandbox.simulators[provider]!.simulate({
    kind: 'payment',
    reference,
    at: scenario.sandbox.now() - 3_600_000,
    amountMinor,
    currency: 'EUR',
    customer: { email: 'buyer@example.com', name: 'Bea Buyer', country: 'DE' },
    method: 'card',
    card: { number: '4111111111111111', brand: 'visa' },
    outcome: 'success',
    refunds: [],
  });
  const connectionId = scenario.wiring.connections[provider]!.id;
  const ledger = { db: scenario.database.db, secrets: scenario.secrets, log, now: () => new Date() };
  await lookupTransaction(ledger, { connectionId, reference, providerId });
  const { rows } = await scenario.database.execute(
    'SELECT id FROM transactions WHERE connection_id = $1 AND provider_id = $2',
    [connectionId, providerId],
  );
  return { id: String(rows[0]!.id), providerId, reference, connectionId };
}

/** The provider's own books: what it says it refunded. */
function refundedAtProvider(sandbox: Sandbox, provider: ProviderName, providerId: string): bigint {
  return sandbox.records(provider).find((record) => record.providerId === providerId)?.refundedMinor ?? -1n;
}

/** Refund operations the provider lists for the payment, as a fresh look-up records them. */
async function refundsListedByProvider(scenario: Scenario, payment: Awaited<ReturnType<typeof pay>>) {
  await lookupTransaction(
    { db: scenario.database.db, secrets: scenario.secrets, log, now: () => new Date() },
    { connectionId: payment.connectionId, reference: payment.reference, providerId: payment.providerId },
  );
  const { rows } = await scenario.database.execute(
    `SELECT count(*)::int AS n, coalesce(sum(amount_minor), 0)::text AS total
       FROM operations WHERE transaction_id = $1 AND type = 'refund' AND status = 'succeeded'`,
    [payment.id],
  );
  return { count: Number(rows[0]!.n), totalMinor: BigInt(String(rows[0]!.total)) };
}

/** A support agent signed in over HTTP; the session (in the database) works on every BFF. */
async function signInSupport(scenario: Scenario, bff: BffProcess): Promise<string> {
  const email = `agent-${Date.now()}@paydesk.test`;
  const password = 'refund test password 1';
  const { setupUrl } = await createUser(
    {
      db: scenario.database.db,
      config: { publicUrl: bff.url, secureCookies: false },
      now: new Date(),
      actor: systemActor,
    },
    { email, name: 'Refund Agent', role: 'support' },
  );
  const headers = { 'content-type': 'application/json', 'x-paydesk-csrf': '1' };
  const setup = await fetch(`${bff.url}/trpc/auth.completeSetup`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ token: new URL(setupUrl).hash.slice('#token='.length), password }),
  });
  expect(setup.status).toBe(200);
  const signedIn = await fetch(`${bff.url}/trpc/auth.signIn`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email, password }),
  });
  expect(signedIn.status).toBe(200);
  return signedIn.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? 0;
}

interface RefundAnswer {
  status: number;
  intent?: { id: string; state: string; amountMinor: string; message: string };
  error?: string;
}

async function requestRefund(
  bff: BffProcess,
  cookie: string,
  input: { transactionId: string; amount: string; idempotencyKey: string },
): Promise<RefundAnswer> {
  const response = await fetch(`${bff.url}/trpc/refund.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-paydesk-csrf': '1', cookie },
    body: JSON.stringify({ ...input, reason: 'requested_by_customer' }),
  });
  const body = (await response.json()) as {
    result?: { data: { intent: RefundAnswer['intent'] } };
    error?: { message: string };
  };
  return {
    status: response.status,
    ...(body.result ? { intent: body.result.data.intent } : {}),
    ...(body.error ? { error: body.error.message } : {}),
  };
}

async function intentStates(database: OpenDb, transactionId: string) {
  const { rows } = await database.execute(
    `SELECT id, idempotency_key, state, amount_minor::text AS amount, provider_refund_id
       FROM refund_intents WHERE transaction_id = $1 ORDER BY created_at`,
    [transactionId],
  );
  return rows.map((row) => ({
    id: String(row.id),
    key: String(row.idempotency_key),
    state: String(row.state),
    amountMinor: BigInt(String(row.amount)),
    providerRefundId: typeof row.provider_refund_id === 'string' ? row.provider_refund_id : null,
  }));
}

describe.skipIf(!onPostgres)('refunds across BFF processes (PostgreSQL)', () => {
  describe('fifty requests for one payment over two processes', () => {
    const capturedMinor = 10_000n;
    let scenario: Scenario | undefined;
    let payment: Awaited<ReturnType<typeof pay>>;
    let answers: { key: string; bff: number; answer: RefundAnswer; ms: number }[] = [];
    let elapsedMs = 0;

    beforeAll(async () => {
      scenario = await openScenario(serverUrl!, 'paydesk_refund', { seed: 31 });
      for (let i = 0; i < 2; i += 1) {
        scenario.bffs.push(
          await startBff({
            databaseUrl: scenario.server.url,
            masterKeys: scenario.masterKeys,
            port: await freePort(),
          }),
        );
      }
      payment = await pay(scenario, 'payment-book', 'race-1', capturedMinor);
      const cookie = await signInSupport(scenario, scenario.bffs[0]!);
      // 20 keys sent twice (a double click, a second tab: one copy to each process) and 10 sent once:
      // 30 distinct refunds of 5.00 to 8.00, about twice what the payment can give back.
      const requests: { key: string; bff: number; amount: string }[] = [];
      for (let k = 0; k < 30; k += 1) {
        const amount = `${5 + (k % 4)}.00`;
        const key = `race-key-${k}-${scenario.server.name}`;
        requests.push({ key, bff: k % 2, amount });
        if (k < 20) requests.push({ key, bff: (k + 1) % 2, amount });
      }
      expect(requests).toHaveLength(50);
      const started = performance.now();
      const bffs = scenario.bffs;
      answers = await Promise.all(
        requests.map(async (request) => {
          const sent = performance.now();
          const answer = await requestRefund(bffs[request.bff]!, cookie, {
            transactionId: payment.id,
            amount: request.amount,
            idempotencyKey: request.key,
          });
          return { key: request.key, bff: request.bff, answer, ms: performance.now() - sent };
        }),
      );
      elapsedMs = performance.now() - started;
    }, 180_000);

    afterAll(() => closeScenario(scenario), 60_000);

    it('answered every request: a refund, or a refusal naming what is left', () => {
      console.log(
        `refund race: 50 requests over 2 BFFs in ${Math.round(elapsedMs)} ms; ` +
          `${answers.filter((each) => each.answer.intent).length} answered with an intent, ` +
          `${answers.filter((each) => each.answer.error).length} refused; ` +
          `answer p50 ${Math.round(
            percentile(
              answers.map((each) => each.ms),
              0.5,
            ),
          )} ms, ` +
          `max ${Math.round(
            percentile(
              answers.map((each) => each.ms),
              1,
            ),
          )} ms`,
      );
      for (const { answer } of answers) {
        if (answer.intent) {
          expect(answer.status).toBe(200);
          // A copy that arrived while its twin was still with the provider shows it as it then was.
          expect(['queued', 'sending', 'succeeded']).toContain(answer.intent.state);
        } else {
          expect(answer.status).toBe(400);
          expect(answer.error).toMatch(/can still be refunded|nothing more can be refunded/);
        }
      }
      // Both processes served requests.
      expect(new Set(answers.map((each) => each.bff))).toEqual(new Set([0, 1]));
    });

    it('gave the same intent to every request with the same key', () => {
      const byKey = new Map<string, Set<string>>();
      for (const { key, answer } of answers) {
        const ids = byKey.get(key) ?? new Set<string>();
        ids.add(answer.intent?.id ?? 'refused');
        byKey.set(key, ids);
      }
      expect([...byKey].filter(([, ids]) => ids.size > 1)).toEqual([]);
    });

    it('moved exactly the allowed refunds at the provider, never more than was captured', async () => {
      const intents = await intentStates(scenario!.database, payment.id);
      const succeeded = intents.filter((intent) => intent.state === 'succeeded');
      expect(intents.filter((intent) => intent.state !== 'succeeded')).toEqual([]);
      expect(new Set(intents.map((intent) => intent.key)).size).toBe(intents.length);
      const answered = new Set(
        answers.flatMap((each) => (each.answer.intent ? [each.answer.intent.id] : [])),
      );
      expect(answered).toEqual(new Set(succeeded.map((intent) => intent.id)));

      const sum = succeeded.reduce((total, intent) => total + intent.amountMinor, 0n);
      expect(sum).toBeLessThanOrEqual(capturedMinor);
      // Less than the smallest refund (5.00) is left over: the refusals were real.
      expect(capturedMinor - sum).toBeLessThan(500n);
      const atProvider = await refundsListedByProvider(scenario!, payment);
      const { rows: calls } = await scenario!.database.execute(
        `SELECT (details->>'latencyMs')::int AS ms FROM timeline_events
          WHERE transaction_id = $1 AND type = 'refund_succeeded'`,
        [payment.id],
      );
      const latencies = calls.map((row) => Number(row.ms));
      console.log(
        `refund race: ${succeeded.length} refunds (${sum} of ${capturedMinor} minor units) reached the provider; ` +
          `provider call p50 ${percentile(latencies, 0.5)} ms, max ${percentile(latencies, 1)} ms`,
      );
      expect(atProvider).toEqual({ count: succeeded.length, totalMinor: sum });
      expect(refundedAtProvider(scenario!.sandbox, 'payment-book', payment.providerId)).toBe(sum);
      expect(new Set(succeeded.map((intent) => intent.providerRefundId)).size).toBe(succeeded.length);
    });
  });

  describe('kill -9 while the provider holds its answer to a refund it made', () => {
    let scenario: Scenario | undefined;
    const payments: Partial<Record<'payment-book' | 'gate', Awaited<ReturnType<typeof pay>>>> = {};
    const amounts = { 'payment-book': 3_000n, gate: 4_500n } as const;
    let settledAfterMs = 0;

    beforeAll(async () => {
      scenario = await openScenario(serverUrl!, 'paydesk_refund', { seed: 41 });
      const port = await freePort();
      const options = { databaseUrl: scenario.server.url, masterKeys: scenario.masterKeys, port };
      const first = await startBff(options);
      scenario.bffs.push(first);
      await scenario.jobs.start([], { work: false });
      payments['payment-book'] = await pay(scenario, 'payment-book', 'crash-pb', 10_000n);
      payments.gate = await pay(scenario, 'gate', 'crash-gate', amounts.gate);
      const cookie = await signInSupport(scenario, first);
      const { sandbox } = scenario;
      // The provider makes the refund, then holds its answer far longer than the kill takes.
      for (const [provider, path] of [
        ['payment-book', '/api/transaction/refund'],
        ['gate', '/api/v1/api/payments/refund'],
      ] as const) {
        const response = await fetch(`${sandbox.urls.control}/faults/${provider}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            kind: 'timeout',
            phase: 'after',
            holdMs: 600_000,
            match: path,
            method: 'POST',
            count: 1,
          }),
        });
        expect(response.status).toBe(200);
      }
      const inFlight = (['payment-book', 'gate'] as const).map((provider) =>
        requestRefund(first, cookie, {
          transactionId: payments[provider]!.id,
          amount: provider === 'gate' ? '45.00' : '30.00',
          idempotencyKey: `crash-${provider}`,
        }).catch((error: unknown) => ({ status: 0, error: String(error) })),
      );
      await until(
        'both refunds are made at the provider, their answers held',
        () =>
          refundedAtProvider(sandbox, 'payment-book', payments['payment-book']!.providerId) === 3_000n &&
          refundedAtProvider(sandbox, 'gate', payments.gate!.providerId) === amounts.gate,
        { timeoutMs: 30_000, intervalMs: 50 },
      );
      const { rows } = await scenario.database.execute(`SELECT state FROM refund_intents`);
      expect(rows.map((row) => row.state)).toEqual(['sending', 'sending']);

      process.kill(first.pid, 'SIGKILL');
      await first.exited;
      const lost = await Promise.all(inFlight);
      expect(lost.every((answer) => answer.status === 0)).toBe(true);

      const restarted = await startBff(options);
      scenario.bffs.push(restarted);
      // The lease (five minutes) is long over, as the sweep on the restarted process would find it.
      await scenario.database.execute(`UPDATE refund_intents SET lease_until = now() - interval '1 second'`);
      const started = performance.now();
      const swept = await sweepRefunds({
        db: scenario.database.db,
        secrets: scenario.secrets,
        jobs: scenario.jobs,
        log,
        now: () => new Date(),
      });
      // (The restarted process's own sweep, every minute, may have been first to one of them.)
      expect(swept.expired).toBeLessThanOrEqual(2);
      const { rows: afterSweep } = await scenario.database.execute(`SELECT state FROM refund_intents`);
      expect(afterSweep.filter((row) => row.state === 'sending')).toEqual([]);
      // The restarted process's settle worker looks each up at the provider.
      await until(
        'the restarted BFF settles both intents',
        async () => {
          const { rows: states } = await scenario!.database.execute(`SELECT state FROM refund_intents`);
          return states.every((row) => row.state === 'succeeded');
        },
        {
          timeoutMs: 60_000,
          intervalMs: 200,
          detail: async () =>
            JSON.stringify(
              (await scenario!.database.execute(`SELECT state, last_error FROM refund_intents`)).rows,
            ),
        },
      );
      settledAfterMs = performance.now() - started;
    }, 180_000);

    afterAll(() => closeScenario(scenario), 60_000);

    it('settled both as succeeded without a second refund at the provider', async () => {
      console.log(`refund crash: both intents settled ${Math.round(settledAfterMs)} ms after the sweep`);
      const { sandbox, database } = scenario!;
      expect(refundedAtProvider(sandbox, 'payment-book', payments['payment-book']!.providerId)).toBe(3_000n);
      expect(refundedAtProvider(sandbox, 'gate', payments.gate!.providerId)).toBe(amounts.gate);
      const listed = await refundsListedByProvider(scenario!, payments['payment-book']!);
      expect(listed).toEqual({ count: 1, totalMinor: 3_000n });
      for (const provider of ['payment-book', 'gate'] as const) {
        const [intent] = await intentStates(database, payments[provider]!.id);
        expect(intent?.state).toBe('succeeded');
        expect(intent?.providerRefundId).toBeTruthy();
        const { rows } = await database.execute(
          `SELECT type FROM timeline_events WHERE transaction_id = $1 AND type LIKE 'refund_%' ORDER BY id`,
          [payments[provider]!.id],
        );
        expect(rows.map((row) => row.type)).toEqual([
          'refund_requested',
          'refund_unknown_outcome',
          'refund_succeeded',
        ]);
      }
      const { rows: audit } = await database.execute(
        `SELECT action, result FROM audit_log WHERE action LIKE 'refund.%' ORDER BY id`,
      );
      expect(audit.map((row) => `${String(row.action)} ${String(row.result)}`)).toEqual([
        'refund.create success',
        'refund.create success',
        'refund.settle failure',
        'refund.settle failure',
        'refund.settle success',
        'refund.settle success',
      ]);
    });
  });
});
