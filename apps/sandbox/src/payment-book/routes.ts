/**
 * Payment Book's HTTP surface (payment-book-api.txt). A signed request goes through, in order:
 * the token named by X-REQUEST-TOKEN-NAME (401), the meta.signature over the raw bytes when one is
 * present (401: a caller without the secret learns nothing more), Laravel validation (422), the
 * service the token belongs to (401), then the endpoint's own checks (404, 400, 422).
 */
import { currencyExponent, decimalToMinor, minorToDecimal } from '@paydesk/domain';
import { verifyPayload } from '@paydesk/providers/payment-book/signature';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  currencies,
  isSupportedCurrency,
  listPaymentMethods,
  publicCountries,
  publicCurrencies,
  type MethodKind,
} from './catalog.ts';
import {
  PaymentBookError,
  type CustomerChoice,
  type PaymentBookEngine,
  type PbToken,
  type TransactionType,
} from './engine.ts';
import { challengePage, checkoutPage, messagePage, resultPage } from './hosted-pages.ts';
import { phpJsonEncode } from './php-json.ts';
import { presentCancelling, presentCreated, presentRefund, presentTransaction } from './presenters.ts';
import { FixedWindowLimiter } from './rate-limit.ts';
import { renderReceipt } from './receipt.ts';
import {
  array,
  boolean,
  date,
  dateYmd,
  email,
  exists,
  gtNumber,
  hasErrors,
  integer,
  isArrayLike,
  isNumeric,
  maxChars,
  minNumber,
  nullable,
  numeric,
  oneOf,
  required,
  requiredWith,
  rule,
  sizeChars,
  sizeItems,
  string,
  unique,
  url,
  validate,
  valueAt,
  type Rule,
  type Rules,
} from './validation.ts';

type Body = Record<string, unknown>;

// ---- answers ----------------------------------------------------------------------------------------

/** PHP's microtime difference echoed with 14 significant digits, as the provider's envelope shows it. */
function responseTime(reply: FastifyReply): string {
  return `${Number((reply.elapsedTime / 1000).toPrecision(14))} s`;
}

function respond(
  reply: FastifyReply,
  code: number,
  message: string,
  payload: { data: unknown } | { errors: unknown },
): FastifyReply {
  const body = phpJsonEncode({
    meta: { code, success: code >= 200 && code < 300, message, response_time: responseTime(reply) },
    ...payload,
  });
  return reply.code(code).type('application/json').send(body);
}

function respondError(reply: FastifyReply, error: PaymentBookError): FastifyReply {
  return respond(reply, error.httpStatus, error.message, { errors: error.errors });
}

const unauthorized = () => new PaymentBookError(401, 'Unauthorized.');
const notFound = () => new PaymentBookError(404, 'Not found');
const invalid = (errors: Record<string, string[]>) => new PaymentBookError(422, 'Validation Error.', errors);

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

// ---- request reading --------------------------------------------------------------------------------

function parseBody(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // Laravel reads an unparsable JSON body as no input at all; validation then reports what is missing.
    return {};
  }
}

function rawBody(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : '';
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** PHP's $_GET: `meta[signature]=…&data[bank_id]=…` becomes nested arrays of strings. */
function phpQuery(url: string): Body {
  const query: Body = {};
  const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const [name, value] of new URLSearchParams(search)) {
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(name);
    const path = match
      ? [match[1] ?? name, ...[...(match[2] ?? '').matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')]
      : [name];
    let target = query;
    path.forEach((key, index) => {
      if (index === path.length - 1) {
        target[key] = value;
      } else {
        const next = target[key];
        target = isArrayLike(next) && !Array.isArray(next) ? next : (target[key] = {});
      }
    });
  }
  return query;
}

function text(body: unknown, path: string): string | undefined {
  const value = valueAt(body, path);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A validated amount (number or numeric string) as a plain decimal, or undefined if it has an exponent. */
function decimalText(value: unknown): string | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  const trimmed = String(value).trim().replace(/^\+/, '');
  const decimal = /^\d+(\.\d+)?$/.test(trimmed) ? trimmed : String(Number(trimmed));
  return /^\d+(\.\d+)?$/.test(decimal) ? decimal : undefined;
}

function amountMinor(value: unknown, currency: string): bigint {
  const decimal = decimalText(value);
  if (decimal === undefined) throw new PaymentBookError(422, 'Validation Error.');
  return decimalToMinor(decimal, currency);
}

// ---- rules ------------------------------------------------------------------------------------------

/** The amount must be exact in the currency: "10.005" EUR is refused, "10.50000000" EUR is fine. */
function fitsCurrency(currencyPath: string): Rule {
  return {
    check: (value, attribute, data) => {
      const currency = valueAt(data, currencyPath);
      if (typeof currency !== 'string' || !isSupportedCurrency(currency) || !isNumeric(value))
        return undefined;
      const decimal = decimalText(value);
      try {
        if (decimal !== undefined) {
          decimalToMinor(decimal, currency);
          return undefined;
        }
      } catch {
        // falls through to the message below
      }
      return `The ${attribute} must have 0-${currencyExponent(currency)} decimal places.`;
    },
  };
}

const currencyRules = [required, string, sizeChars(3), oneOf(currencies.map(([code]) => code))];
const accepted = rule(
  (value) => [true, 1, '1', 'yes', 'on', 'true'].includes(value as never),
  (a) => `The ${a} must be accepted.`,
);

function metaRules(engine: PaymentBookEngine, token: PbToken, reference: 'new' | 'existing'): Rules {
  const referenceRules: Rule[] = [required, string, maxChars(255)];
  if (reference === 'new') {
    referenceRules.push(
      unique((value) => typeof value !== 'string' || !engine.byReference(token.serviceId, value.trim())),
    );
  }
  return [
    ['meta', [required, array, sizeItems(3)]],
    ['meta.signature', [required, string]],
    ['meta.reference_id', referenceRules],
    ['meta.service_id', [required, integer, exists((value) => engine.serviceExists(Number(value)))]],
  ];
}

function webhookRules(engine: PaymentBookEngine, token: PbToken): Rules {
  return [
    ['webhook', [nullable, array]],
    ['webhook.url', [requiredWith('webhook'), url]],
    [
      'webhook.token_name',
      [
        nullable,
        string,
        exists((value) => engine.tokens().some((t) => t.name === value && t.serviceId === token.serviceId)),
      ],
    ],
  ];
}

function paymentRules(engine: PaymentBookEngine, token: PbToken): Rules {
  const optionalText = [nullable, string, maxChars(255)];
  return [
    ['payment', [required, array]],
    ['payment.amount', [required, numeric, gtNumber(0), fitsCurrency('payment.currency')]],
    ['payment.currency', currencyRules],
    ['user', [nullable, array]],
    ['user.email', [nullable, email]],
    ['user.phone', optionalText],
    ['user.first_name', optionalText],
    ['user.last_name', optionalText],
    ['user.address', optionalText],
    ['user.day_of_birth', [nullable, dateYmd]],
    ['user.city', optionalText],
    ['user.zip', optionalText],
    ['user.country', [nullable, string, sizeChars(2)]],
    ['user.language', [nullable, string, sizeChars(2)]],
    ...webhookRules(engine, token),
    ['redirect', [nullable, array]],
    ['redirect.success', [nullable, url]],
    ['redirect.fail', [nullable, url]],
    ['redirect.return', [nullable, url]],
    ['company', [nullable, array]],
    ...['name', 'tax_id', 'bank_name', 'bank_account', 'bank_swift', 'address'].map(
      (field): readonly [string, readonly Rule[]] => [`company.${field}`, optionalText],
    ),
    ['order', [nullable, array]],
    ['order.*', [array]],
    ['order.*.amount', [required, numeric]],
    ['order.*.currency', [required, string, sizeChars(3)]],
    ['order.*.textual', [nullable, string]],
    ['additional_data', [nullable, array]],
  ];
}

function recurringRules(): Rules {
  return [
    ['recurring', [required, array]],
    ['recurring.enabled', [required, boolean, accepted]],
    ['recurring.start_date', [required, date]],
    ['recurring.cycle_days', [required, integer, minNumber(1)]],
    ['recurring.trial_days', [nullable, integer, minNumber(0)]],
  ];
}

// ---- the signed-request pipeline --------------------------------------------------------------------

interface Signed {
  token: PbToken;
  body: Body;
}

function authenticate(
  engine: PaymentBookEngine,
  request: FastifyRequest,
  input: { raw: string; body: unknown },
  rules: (token: PbToken) => Rules,
): Signed {
  const token = engine.token(header(request, 'x-request-token-name'));
  if (!token) throw unauthorized();
  const signature = valueAt(input.body, 'meta.signature');
  const signed =
    signature !== undefined &&
    signature !== null &&
    !(typeof signature === 'string' && signature.trim() === '');
  if (signed && !verifyPayload(input.raw, token.secret)) throw unauthorized();
  const errors = validate(input.body, rules(token));
  if (hasErrors(errors)) throw invalid(errors);
  const serviceId = valueAt(input.body, 'meta.service_id');
  if (serviceId !== undefined && Number(serviceId) !== token.serviceId) throw unauthorized();
  return { token, body: input.body as Body };
}

function jsonInput(request: FastifyRequest): { raw: string; body: unknown } {
  const raw = rawBody(request);
  return { raw, body: parseBody(raw) };
}

function user(body: Body): Record<string, string> | undefined {
  const value = body.user;
  if (!isArrayLike(value) || Array.isArray(value)) return undefined;
  const fields = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
  );
  return fields.length > 0 ? Object.fromEntries(fields) : undefined;
}

function createInput(
  engine: PaymentBookEngine,
  signed: Signed,
  type: TransactionType,
  moneyPath: 'payment' | 'withdrawal',
) {
  const { token, body } = signed;
  const currency = text(body, `${moneyPath}.currency`) ?? '';
  const webhookUrl = text(body, 'webhook.url');
  return {
    token,
    type,
    referenceId: text(body, 'meta.reference_id') ?? '',
    amountMinor: amountMinor(valueAt(body, `${moneyPath}.amount`), currency),
    currency,
    request: body,
    user: user(body),
    webhook: webhookUrl ? { url: webhookUrl, tokenName: text(body, 'webhook.token_name') } : undefined,
    redirect: {
      success: text(body, 'redirect.success'),
      fail: text(body, 'redirect.fail'),
      return: text(body, 'redirect.return'),
    },
    at: engine.ctx.clock.now(),
  };
}

// ---- routes -----------------------------------------------------------------------------------------

export function registerPaymentBookRoutes(app: FastifyInstance, engine: PaymentBookEngine): void {
  const limiter = new FixedWindowLimiter(engine.ctx.clock);

  // Signatures are checked on the exact bytes received, so every body stays a string here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError | PaymentBookError, request, reply) => {
    if (error instanceof PaymentBookError) {
      if (request.url.startsWith('/payment/'))
        return html(reply, error.httpStatus, messagePage('Payment', error.message));
      return respondError(reply, error);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return respondError(reply, new PaymentBookError(status, error.message));
    request.log.error(error);
    return respondError(reply, new PaymentBookError(500, 'Server Error'));
  });
  app.setNotFoundHandler((request, reply) =>
    request.url.startsWith('/api/')
      ? respondError(reply, notFound())
      : html(reply, 404, messagePage('Not found', 'There is no such page.')),
  );

  app.post('/api/transaction/purchase/create', async (request, reply) => {
    const signed = authenticate(engine, request, jsonInput(request), (token) => [
      ...metaRules(engine, token, 'new'),
      ...paymentRules(engine, token),
    ]);
    const transaction = engine.create(createInput(engine, signed, 'purchase', 'payment'));
    engine.openHostedPage(transaction);
    return respond(reply, 200, 'Transaction can be processed!', {
      data: presentCreated(engine, transaction),
    });
  });

  app.post('/api/transaction/recurring/create', async (request, reply) => {
    const signed = authenticate(engine, request, jsonInput(request), (token) => [
      ...metaRules(engine, token, 'new'),
      ...paymentRules(engine, token),
      ...recurringRules(),
    ]);
    const { body } = signed;
    const transaction = engine.create({
      ...createInput(engine, signed, 'recurring', 'payment'),
      recurring: {
        cycleDays: Number(valueAt(body, 'recurring.cycle_days')),
        trialDays: Number(valueAt(body, 'recurring.trial_days') ?? 0),
        startDate: text(body, 'recurring.start_date') ?? '',
      },
    });
    engine.openHostedPage(transaction);
    return respond(reply, 200, 'Transaction can be processed!', {
      data: presentCreated(engine, transaction),
    });
  });

  app.post('/api/transaction/recurring/cancel', async (request, reply) => {
    const { token, body } = authenticate(engine, request, jsonInput(request), (t) =>
      metaRules(engine, t, 'existing'),
    );
    const transaction = engine.byReference(token.serviceId, text(body, 'meta.reference_id') ?? '');
    if (!transaction) throw notFound();
    engine.cancelSubscription(transaction);
    return respond(reply, 200, 'Transaction is cancelling', { data: presentCancelling(engine, transaction) });
  });

  app.post('/api/transaction/withdrawal/create', async (request, reply) => {
    const signed = authenticate(engine, request, jsonInput(request), (token) => [
      ...metaRules(engine, token, 'new'),
      ['withdrawal', [required, array]],
      ['withdrawal.amount', [required, numeric, gtNumber(0), fitsCurrency('withdrawal.currency')]],
      ['withdrawal.currency', currencyRules],
      ['withdrawal.balance_id', [required, integer]],
      ...webhookRules(engine, token),
    ]);
    const input = createInput(engine, signed, 'withdrawal', 'withdrawal');
    const method: MethodKind = 'bank_transfer';
    const transaction = engine.create({ ...input, user: undefined, redirect: undefined }, method);
    engine.startWithdrawal(transaction);
    return respond(reply, 200, 'Transaction can be processed!', { data: null });
  });

  app.post('/api/transaction/refund', async (request, reply) => {
    const { token, body } = authenticate(engine, request, jsonInput(request), (t) => [
      ...metaRules(engine, t, 'existing'),
      ['refund', [required, array]],
      ['refund.amount', [required, numeric, gtNumber(0), fitsCurrency('refund.currency')]],
      ['refund.currency', currencyRules],
      ['refund.comment', [nullable, string, maxChars(255)]],
    ]);
    const transaction = engine.byReference(token.serviceId, text(body, 'meta.reference_id') ?? '');
    if (!transaction) throw notFound();
    if (!engine.canRefund(transaction)) throw new PaymentBookError(400, 'Transaction cannot be refunded.');
    const currency = text(body, 'refund.currency') ?? '';
    if (currency !== transaction.currency)
      throw invalid({ 'refund.currency': ['The selected refund.currency is invalid.'] });
    const amount = amountMinor(valueAt(body, 'refund.amount'), currency);
    const refundable = engine.refundableMinor(transaction);
    if (amount > refundable) {
      const left = minorToDecimal(refundable, currency);
      throw invalid({ 'refund.amount': [`The refund.amount must be less than or equal to ${left}.`] });
    }
    const operation = engine.refund(
      transaction,
      amount,
      text(body, 'refund.comment'),
      engine.ctx.clock.now(),
    );
    engine.notify(transaction);
    return respond(reply, 200, 'OK', { data: presentRefund(transaction, operation) });
  });

  app.post('/api/transaction/status', async (request, reply) => {
    const { token, body } = authenticate(engine, request, jsonInput(request), (t) =>
      metaRules(engine, t, 'existing'),
    );
    const transaction = engine.byReference(token.serviceId, text(body, 'meta.reference_id') ?? '');
    if (!transaction) throw notFound();
    return respond(reply, 200, 'Transaction status request successful', {
      data: presentTransaction(engine, transaction),
    });
  });

  app.post('/api/operation/receipt', async (request, reply) => {
    // The receipt's meta is the operation ulid and the signature only: two items, not three.
    const { token, body } = authenticate(engine, request, jsonInput(request), () => [
      ['meta', [required, array, sizeItems(2)]],
      ['meta.signature', [required, string]],
      ['meta.ulid', [required, string]],
    ]);
    const found = engine.operation(text(body, 'meta.ulid') ?? '');
    if (!found || found.transaction.serviceId !== token.serviceId) throw notFound();
    if (found.operation.status !== 'success')
      throw new PaymentBookError(400, 'Cannot get receipt for this operation.');
    const pdf = await renderReceipt(engine, found.transaction, found.operation);
    return reply
      .code(200)
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="receipt-${found.operation.ulid}.pdf"`)
      .send(pdf);
  });

  app.post('/api/payment-methods', async (request, reply) => {
    // Documented with query parameters; a JSON body works too. Query values are strings, as in PHP.
    const query = phpQuery(request.url);
    const input = isArrayLike(query.meta) ? { raw: JSON.stringify(query), body: query } : jsonInput(request);
    const { body } = authenticate(engine, request, input, () => [
      ['meta', [required, array, sizeItems(2)]],
      ['meta.signature', [required, string]],
      ['meta.service_id', [required, integer, exists((value) => engine.serviceExists(Number(value)))]],
      ['country', [nullable, string, sizeChars(2)]],
      ['currency', [nullable, string, sizeChars(3)]],
      ['data', [nullable, array]],
    ]);
    const filter: { currency?: string; country?: string } = {};
    const currency = text(body, 'currency');
    const country = text(body, 'country');
    if (currency) filter.currency = currency.toUpperCase();
    if (country) filter.country = country.toUpperCase();
    return respond(reply, 200, 'Payment system public data gathered.', { data: listPaymentMethods(filter) });
  });

  const publicList =
    (message: string, list: () => unknown[]) => async (request: FastifyRequest, reply: FastifyReply) => {
      // Only unauthenticated or unknown clients are throttled; a known token name lifts the limit.
      if (!engine.token(header(request, 'x-request-token-name'))) {
        const decision = limiter.hit(request.ip);
        reply.header('x-ratelimit-limit', decision.limit).header('x-ratelimit-remaining', decision.remaining);
        if (!decision.allowed) {
          reply.header('retry-after', decision.retryAfter);
          return respondError(reply, new PaymentBookError(429, 'Too Many Attempts.'));
        }
      }
      const body = phpJsonEncode({
        meta: {
          code: 200,
          success: true,
          message,
          response_time: `${(reply.elapsedTime / 1000).toFixed(2)}s`,
        },
        data: list(),
      });
      return reply.code(200).type('application/json').send(body);
    };
  app.get('/api/public/countries', publicList('Countries retrieved.', publicCountries));
  app.get('/api/public/currencies', publicList('Currencies retrieved.', publicCurrencies));

  // ---- hosted pages ----

  for (const type of ['purchase', 'recurring'] as const) {
    app.get<{ Params: { ulid: string } }>(`/payment/${type}/:ulid`, async (request, reply) => {
      const transaction = engine.byUlid(request.params.ulid);
      if (!transaction || (transaction.type === 'recurring') !== (type === 'recurring')) {
        return html(reply, 404, messagePage('Not found', 'This payment link is not valid.'));
      }
      return html(reply, 200, checkoutPage(transaction));
    });
  }

  app.post<{ Params: { ulid: string } }>('/payment/:ulid', async (request, reply) => {
    const transaction = engine.byUlid(request.params.ulid);
    if (!transaction || transaction.type === 'withdrawal') {
      return html(reply, 404, messagePage('Not found', 'This payment link is not valid.'));
    }
    const form = new URLSearchParams(rawBody(request));
    const choice = form.get('action');
    if (choice !== 'pay' && choice !== 'pay_3ds' && choice !== 'decline' && choice !== 'cancel') {
      return html(reply, 400, messagePage('Payment', 'Choose how to pay.'));
    }
    const methodId = Number(form.get('payment_method_id') ?? Number.NaN);
    const next = engine.customerChooses(
      transaction,
      choice satisfies CustomerChoice,
      Number.isInteger(methodId) ? methodId : undefined,
    );
    return reply.code(303).header('location', next).send();
  });

  app.get<{ Params: { ulid: string } }>('/payment/3ds/:ulid', async (request, reply) => {
    const found = engine.operation(request.params.ulid);
    if (!found) return html(reply, 404, messagePage('Not found', 'This challenge is not valid.'));
    return html(reply, 200, challengePage(found.transaction, found.operation));
  });

  app.post<{ Params: { ulid: string } }>('/payment/3ds/:ulid', async (request, reply) => {
    if (!engine.operation(request.params.ulid))
      return html(reply, 404, messagePage('Not found', 'This challenge is not valid.'));
    const action = new URLSearchParams(rawBody(request)).get('action');
    const next = engine.answerChallenge(request.params.ulid, action === 'confirm');
    return reply.code(303).header('location', next).send();
  });

  app.get<{ Params: { ulid: string } }>('/payment/result/:ulid', async (request, reply) => {
    const transaction = engine.byUlid(request.params.ulid);
    if (!transaction) return html(reply, 404, messagePage('Not found', 'There is no such payment.'));
    return html(reply, 200, resultPage(transaction));
  });
}
