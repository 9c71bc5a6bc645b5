/**
 * The hosted payment page an invoice's `hpp_url` leads to: how a customer pays or is declined in the
 * sandbox, by hand or from a Playwright test. Plain HTML forms, keyboard-usable and labelled.
 */
import { minorToDecimal } from '@paydesk/domain';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { threeDsCard, type PaytoneEngine } from './engine.ts';
import { isObject, sendHtml } from './http.ts';
import type { PaymentInvoice } from './model.ts';

type WithId = FastifyRequest<{ Params: { id: string } }>;

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function layout(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
label,input,button{display:block;font-size:1rem;margin:.5rem 0}input{padding:.4rem;width:100%}
button{padding:.5rem 1rem;margin-right:.5rem;display:inline-block}[role=alert]{color:#a00}</style>
</head>
<body><main>${content}</main></body>
</html>`;
}

function summary(invoice: PaymentInvoice): string {
  const amount = `${minorToDecimal(invoice.amountMinor, invoice.currency)} ${invoice.currency}`;
  return `<h1>Pay ${escapeHtml(amount)}</h1>
<dl>
<dt>Description</dt><dd>${escapeHtml(invoice.description ?? '—')}</dd>
<dt>Invoice</dt><dd>${escapeHtml(invoice.id)}</dd>
<dt>Status</dt><dd data-testid="status">${escapeHtml(invoice.status)}</dd>
</dl>`;
}

function paymentForm(invoice: PaymentInvoice, error: string | null): string {
  const alert = error ? `<p role="alert">${escapeHtml(error)}</p>` : '';
  const card =
    invoice.service.method === 'payment_card'
      ? `<label for="card_number">Card number</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" value="4242424242424242" required>
<p><small>Test cards: any valid number pays; ${threeDsCard} asks for 3-D Secure.</small></p>`
      : '';
  return `${alert}<form method="post" action="/hpp/${invoice.id}/pay">
${card}<button type="submit">Pay</button>
<button type="submit" formaction="/hpp/${invoice.id}/decline" formnovalidate>Decline</button>
</form>`;
}

function threeDsForm(invoice: PaymentInvoice): string {
  return `<h2>3-D Secure</h2>
<p>Your bank asks you to confirm this payment.</p>
<form method="post" action="/hpp/${invoice.id}/3ds">
<button type="submit" name="result" value="confirm">Confirm</button>
<button type="submit" name="result" value="fail">Fail</button>
</form>`;
}

function page(invoice: PaymentInvoice, error: string | null = null): string {
  let body: string;
  switch (invoice.stage) {
    case 'payment_form':
      body = paymentForm(invoice, error);
      break;
    case 'three_ds':
      body = threeDsForm(invoice);
      break;
    case null:
      body = `<p role="status">This invoice is ${escapeHtml(invoice.status.replace(/_/g, ' '))}.</p>`;
      break;
  }
  return layout(`Paytone — ${invoice.id}`, `${summary(invoice)}${body}`);
}

export function hostedPage(engine: PaytoneEngine): FastifyPluginCallback {
  const notFoundPage = (reply: FastifyReply) =>
    sendHtml(reply, 404, layout('Paytone — not found', '<h1>Invoice not found</h1>'));

  /** Where the customer goes once the page is done with them: the merchant's return URL, or back here. */
  const leave = (reply: FastifyReply, invoice: PaymentInvoice, result: 'success' | 'fail') => {
    const target =
      (result === 'success' ? invoice.returnUrls?.success : invoice.returnUrls?.fail) ??
      invoice.returnUrl ??
      `/hpp/${invoice.id}`;
    return reply.redirect(target, 303);
  };

  const withInvoice =
    (handler: (invoice: PaymentInvoice, request: WithId, reply: FastifyReply) => FastifyReply) =>
    (request: WithId, reply: FastifyReply) => {
      const invoice = engine.store.payments.get(request.params.id);
      return invoice ? handler(invoice, request, reply) : notFoundPage(reply);
    };

  const expect = (invoice: PaymentInvoice, stage: PaymentInvoice['stage'], reply: FastifyReply) =>
    invoice.stage === stage ? null : sendHtml(reply, 409, page(invoice));

  const form = (request: FastifyRequest): Record<string, unknown> =>
    isObject(request.body) ? request.body : {};

  return (scope, _options, done) => {
    scope.get('/redirect/hpp/', (request, reply) => {
      const { cpi } = request.query as Record<string, unknown>;
      if (typeof cpi !== 'string' || !engine.store.payments.has(cpi)) return notFoundPage(reply);
      return reply.redirect(`/hpp/${cpi}`, 303);
    });

    const show = withInvoice((invoice, _request, reply) => sendHtml(reply, 200, page(invoice)));
    scope.get('/hpp/:id', show);
    scope.get('/hpp/:id/3ds', show);

    scope.post(
      '/hpp/:id/pay',
      withInvoice((invoice, request, reply) => {
        const conflict = expect(invoice, 'payment_form', reply);
        if (conflict) return conflict;
        let number: string | null = null;
        if (invoice.service.method === 'payment_card') {
          const entered = form(request).card_number;
          number = typeof entered === 'string' ? entered.replace(/[\s-]/g, '') : '';
          if (!/^\d{12,19}$/.test(number)) {
            return sendHtml(reply, 422, page(invoice, 'Enter a card number of 12 to 19 digits.'));
          }
        }
        engine.pay(invoice, number);
        if (invoice.stage === 'three_ds') return reply.redirect(`/hpp/${invoice.id}/3ds`, 303);
        return leave(reply, invoice, 'success');
      }),
    );

    scope.post(
      '/hpp/:id/decline',
      withInvoice((invoice, _request, reply) => {
        const conflict = expect(invoice, 'payment_form', reply);
        if (conflict) return conflict;
        engine.decline(invoice);
        return leave(reply, invoice, 'fail');
      }),
    );

    scope.post(
      '/hpp/:id/3ds',
      withInvoice((invoice, request, reply) => {
        const conflict = expect(invoice, 'three_ds', reply);
        if (conflict) return conflict;
        const confirmed = form(request).result === 'confirm';
        engine.completeThreeDs(invoice, confirmed);
        return leave(reply, invoice, confirmed ? 'success' : 'fail');
      }),
    );

    done();
  };
}
