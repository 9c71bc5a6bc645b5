import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse } from 'lossless-json';
import type { GateEngine, GatePayment } from './engine.ts';
import { GateError } from './errors.ts';
import { hostedPage } from './hosted-page.ts';
import { parsePayment, parsePayout, parseRefund, parseSession } from './requests.ts';

const api = '/api/v1/api/payments';

/** Integers stay exact (int64 amounts) as bigint; anything else is a plain number. */
const parseNumber = (text: string): number | bigint => (/^-?\d+$/.test(text) ? BigInt(text) : Number(text));

declare module 'fastify' {
  interface FastifyRequest {
    gateTerminal?: number;
  }
}

function sendPayment(reply: FastifyReply, engine: GateEngine, payment: GatePayment): FastifyReply {
  return reply.code(200).type('application/json; charset=utf-8').send(engine.json(payment));
}

function sendError(reply: FastifyReply, error: GateError): FastifyReply {
  return reply
    .code(error.httpStatus)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(error.toEnvelope()));
}

function terminal(request: FastifyRequest): number {
  if (request.gateTerminal === undefined) throw new GateError(1003, 'A valid bearer token is required.');
  return request.gateTerminal;
}

export function registerGateRoutes(app: FastifyInstance, engine: GateEngine): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parse(body as string, null, parseNumber));
    } catch {
      done(new GateError(1002, 'The request body is not valid JSON.'), undefined);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  app.setErrorHandler((error: FastifyError | GateError, _request, reply) => {
    if (error instanceof GateError) return sendError(reply, error);
    const status = error.statusCode ?? 500;
    if (status === 401) return sendError(reply, new GateError(1003, 'A valid bearer token is required.'));
    if (status >= 400 && status < 500) return sendError(reply, new GateError(1002, error.message));
    return sendError(reply, new GateError(1000, 'Internal error.'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send(
        JSON.stringify({
          code: '1002',
          name: 'incorrect_request',
          description: `No route ${request.method} ${request.url}.`,
        }),
      ),
  );

  // Bearer auth for the API only (the hosted pages are opened by the customer's browser), checked
  // before the body is parsed so an unauthenticated caller learns nothing about validation.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith('/api/')) {
      done();
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const index = match?.[1] ? engine.terminalOf(match[1]) : undefined;
    if (index === undefined) {
      done(new GateError(1003, 'A valid bearer token is required.'));
      return;
    }
    request.gateTerminal = index;
    done();
  });

  app.get<{ Params: { referenceId: string } }>(`${api}/:referenceId`, async (request, reply) => {
    const payment = engine.find(terminal(request), request.params.referenceId);
    if (!payment) throw new GateError(1104, `Payment ${request.params.referenceId} was not found.`);
    return sendPayment(reply, engine, payment);
  });
  app.post(api, async (request, reply) =>
    sendPayment(reply, engine, engine.createPayment(terminal(request), parsePayment(request.body))),
  );
  app.post(`${api}/initiate-session`, async (request, reply) =>
    sendPayment(reply, engine, engine.createSession(terminal(request), parseSession(request.body))),
  );
  app.post(`${api}/payout`, async (request, reply) =>
    sendPayment(reply, engine, engine.createPayout(terminal(request), parsePayout(request.body))),
  );
  app.post(`${api}/refund`, async (request, reply) =>
    sendPayment(reply, engine, engine.refund(terminal(request), parseRefund(request.body))),
  );

  app.get<{ Params: { sessionId: string } }>('/pay/:sessionId', async (request, reply) => {
    const payment = engine.session(request.params.sessionId);
    if (!payment)
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send('<!doctype html><title>Not found</title><p>Unknown payment page.</p>');
    return reply.type('text/html; charset=utf-8').send(hostedPage(payment));
  });
  app.post<{ Params: { sessionId: string }; Body: { action?: string } | undefined }>(
    '/pay/:sessionId',
    async (request, reply) => {
      const existing = engine.session(request.params.sessionId);
      if (!existing)
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send('<!doctype html><title>Not found</title><p>Unknown payment page.</p>');
      const approve = request.body?.action === 'pay';
      const payment = engine.customerAnswer(request.params.sessionId, approve);
      if (!payment) {
        return reply
          .code(409)
          .type('text/html; charset=utf-8')
          .send(hostedPage(existing, 'This payment can no longer be changed.'));
      }
      const back =
        (approve ? payment.returnUrls.success : payment.returnUrls.failure) ?? payment.returnUrls.default;
      if (back) return reply.redirect(back, 303);
      return reply
        .type('text/html; charset=utf-8')
        .send(
          hostedPage(
            payment,
            approve ? 'Thank you, your payment is being processed.' : 'The payment was declined.',
          ),
        );
    },
  );
}
