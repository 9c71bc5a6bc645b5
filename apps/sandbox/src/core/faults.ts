import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ProviderName } from './contract.ts';
import type { Random } from './random.ts';

export const faultKinds = [
  'latency',
  'error_500',
  'error_502',
  'rate_limit',
  'timeout',
  'malformed_json',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/**
 * One fault rule. A request is matched against the rules in order: every matching `latency` rule adds
 * its delay, the first matching error-like rule decides the answer. `count` is how many more times
 * the rule may fire; it is dropped once spent.
 */
export const faultRuleSchema = z.strictObject({
  kind: z.enum(faultKinds),
  /** Probability in [0, 1] that a matching request is hit, drawn from the seeded random. */
  rate: z.number().min(0).max(1).default(1),
  /** Path prefix, e.g. `/api/v1/api/payments/refund`; absent matches every path. */
  match: z.string().startsWith('/').optional(),
  /** HTTP method (any case); absent matches every method. */
  method: z.string().min(1).optional(),
  count: z.number().int().positive().optional(),
  /**
   * `before`: the provider never sees the request. `after`: the provider handles it (the payment or
   * refund happens) and only the answer is lost or mangled — the "unknown outcome" case. Defaults to
   * `before`, except `malformed_json`, which always mangles a real answer.
   */
  phase: z.enum(['before', 'after']).optional(),
  /** latency: added delay in real milliseconds. */
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  /** error_500: the provider's own error envelope, a generic JSON one, or a load balancer's HTML page. */
  envelope: z.enum(['provider', 'generic', 'html']).optional(),
  /** rate_limit: when present, sent as `Retry-After` (seconds); absent, no header. */
  retryAfterSeconds: z.number().int().min(0).optional(),
  /** timeout: how long the request is held (real milliseconds) before the socket is dropped. */
  holdMs: z.number().int().min(0).max(600_000).optional(),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

/** Longer than any client timeout Paydesk uses, so a held request always times out on the client. */
export const defaultTimeoutHoldMs = 120_000;

const envelopes: Record<ProviderName, { error500: unknown; rateLimit: unknown }> = {
  gate: {
    error500: { code: '1000', name: 'processing_error', description: 'Internal server error.' },
    // Gate documents a 429 but not its body; a plain message is the least surprising guess.
    rateLimit: { message: 'Too Many Requests' },
  },
  'payment-book': {
    error500: {
      meta: { code: 500, success: false, message: 'Server Error', response_time: '0.01 s' },
      errors: null,
    },
    rateLimit: {
      meta: { code: 429, success: false, message: 'Too Many Attempts.', response_time: '0.01 s' },
      errors: null,
    },
  },
  paytone: {
    error500: {
      errors: [
        { status: 'internal_error', code: '500', title: 'internal_error', detail: 'Internal server error.' },
      ],
    },
    rateLimit: { errors: [{ status: 'Too Many Requests', code: '429' }] },
  },
};

const htmlError500 =
  '<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

interface Decision {
  latencyMs: number;
  fault?: FaultRule;
}

declare module 'fastify' {
  interface FastifyRequest {
    sandboxFault?: FaultRule;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The fault rules of every provider, and the fastify hooks that apply them. */
export class FaultInjector {
  readonly #rules = new Map<ProviderName, FaultRule[]>();
  readonly #random: Random;
  /** Requests held by a `timeout` fault: released (socket destroyed) at once on close. */
  readonly #held = new Set<{ timer: NodeJS.Timeout; release: () => void }>();

  constructor(random: Random) {
    this.#random = random;
  }

  get(provider: ProviderName): FaultRule[] {
    return structuredClone(this.#rules.get(provider) ?? []);
  }

  set(provider: ProviderName, rules: FaultRuleInput[]): FaultRule[] {
    const parsed = rules.map((rule) => faultRuleSchema.parse(rule));
    this.#rules.set(provider, parsed);
    return this.get(provider);
  }

  add(provider: ProviderName, rule: FaultRuleInput): FaultRule[] {
    return this.set(provider, [...(this.#rules.get(provider) ?? []), rule]);
  }

  reset(provider?: ProviderName): void {
    if (provider) this.#rules.delete(provider);
    else this.#rules.clear();
  }

  close(): void {
    for (const held of this.#held) {
      clearTimeout(held.timer);
      held.release();
    }
    this.#held.clear();
  }

  /** Draws the faults for one request, spending `count`s of the rules that fire. */
  decide(provider: ProviderName, method: string, path: string): Decision {
    const rules = this.#rules.get(provider);
    const decision: Decision = { latencyMs: 0 };
    if (!rules) return decision;
    for (const rule of [...rules]) {
      if (rule.match !== undefined && !path.startsWith(rule.match)) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.kind !== 'latency' && decision.fault) continue;
      if (!this.#random.chance(rule.rate)) continue;
      if (rule.count !== undefined) {
        rule.count -= 1;
        if (rule.count <= 0) rules.splice(rules.indexOf(rule), 1);
      }
      if (rule.kind === 'latency') decision.latencyMs += rule.latencyMs ?? 0;
      else decision.fault = rule;
    }
    return decision;
  }

  /** Installs the hooks on a provider's server; called before the provider registers its routes. */
  install(app: FastifyInstance, provider: ProviderName): void {
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?', 1)[0] ?? request.url;
      const { latencyMs, fault } = this.decide(provider, request.method, path);
      if (latencyMs > 0) await sleep(latencyMs);
      if (!fault) return;
      const phase = fault.kind === 'malformed_json' ? 'after' : (fault.phase ?? 'before');
      if (phase === 'after') {
        request.sandboxFault = fault;
        return;
      }
      if (fault.kind === 'timeout') {
        reply.hijack();
        this.#hold(request, fault);
        return;
      }
      const { payload } = this.#answer(provider, fault, reply);
      // No argument at all for the body-less 502: fastify would serialise `null` as JSON.
      return payload === null ? reply.send() : reply.send(payload);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const fault = request.sandboxFault;
      if (!fault) return payload;
      request.sandboxFault = undefined;
      switch (fault.kind) {
        case 'malformed_json':
          return mangle(payload);
        case 'timeout':
          await new Promise<void>((resolve) => this.#hold(request, fault, resolve));
          return payload;
        case 'latency':
          return payload;
        case 'error_500':
        case 'error_502':
        case 'rate_limit':
          return this.#answer(provider, fault, reply).payload;
      }
    });
  }

  /** Sets status and headers on `reply` for an error-like fault and returns the body to send. */
  #answer(provider: ProviderName, fault: FaultRule, reply: FastifyReply): { payload: string | null } {
    switch (fault.kind) {
      case 'error_500': {
        reply.code(500);
        const envelope = fault.envelope ?? 'provider';
        if (envelope === 'html') {
          reply.header('content-type', 'text/html');
          return { payload: htmlError500 };
        }
        reply.header('content-type', 'application/json; charset=utf-8');
        const body =
          envelope === 'provider' ? envelopes[provider].error500 : { message: 'Internal Server Error' };
        return { payload: JSON.stringify(body) };
      }
      case 'error_502':
        // A proxy in front of the provider answers: no body at all, so the outcome is unknown.
        reply.code(502);
        reply.removeHeader('content-type');
        reply.header('content-length', '0');
        return { payload: null };
      case 'rate_limit':
        reply.code(429);
        if (fault.retryAfterSeconds !== undefined)
          reply.header('retry-after', String(fault.retryAfterSeconds));
        reply.header('content-type', 'application/json; charset=utf-8');
        return { payload: JSON.stringify(envelopes[provider].rateLimit) };
      case 'latency':
      case 'timeout':
      case 'malformed_json':
        throw new Error(`fault ${fault.kind} has no error answer`);
    }
  }

  /** Holds the request for `holdMs`, then drops the connection without an answer. */
  #hold(request: FastifyRequest, fault: FaultRule, onRelease?: () => void): void {
    const socket = request.raw.socket;
    let released = false;
    const entry = {
      timer: setTimeout(() => entry.release(), fault.holdMs ?? defaultTimeoutHoldMs),
      release: () => {
        if (released) return;
        released = true;
        this.#held.delete(entry);
        clearTimeout(entry.timer);
        socket.destroy();
        onRelease?.();
      },
    };
    entry.timer.unref();
    this.#held.add(entry);
    // The client gave up first: nothing left to hold.
    socket.once('close', () => entry.release());
  }
}

/** Cuts a JSON answer in the middle, as a proxy that lost the upstream connection mid-body would. */
function mangle(payload: unknown): unknown {
  const text =
    typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
  if (text === undefined) return payload;
  const cut = Math.max(1, Math.floor(text.length / 2));
  return `${text.slice(0, cut)}\u0000<!-- upstream reset -->`;
}
