/**
 * The customer-facing pages: the checkout a shop redirects to (data.redirect_url), the 3-D Secure
 * challenge, and a result page for shops that gave no redirect URLs. Plain HTML forms, so a person, a
 * Playwright test or a `fetch` with a form body can "pay" the same way.
 */
import { minorToDecimal } from '@paydesk/domain';
import { paymentMethods, type PbCurrency } from './catalog.ts';
import type { PbOperation, PbTransaction } from './engine.ts';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Payment Book sandbox</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
h1{font-size:1.4rem}.amount{font-size:2rem;font-weight:600;margin:.5rem 0}
fieldset{border:1px solid #ccd;border-radius:.5rem;margin:1rem 0}button{font:inherit;padding:.6rem 1rem;margin:.25rem .25rem .25rem 0;border-radius:.4rem;border:1px solid #889;cursor:pointer}
button.primary{background:#1a56db;color:#fff;border-color:#1a56db}.note{color:#556;font-size:.9rem}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function amountText(transaction: PbTransaction): string {
  return `${minorToDecimal(transaction.amountMinor + transaction.costMinor, transaction.currency)} ${transaction.currency}`;
}

export function checkoutPage(transaction: PbTransaction): string {
  if (transaction.status !== 'created') return resultPage(transaction);
  const methods = paymentMethods.filter(
    (method) => method.currencies[transaction.currency as PbCurrency] === true,
  );
  const options = methods
    .map(
      (method, index) =>
        `<div><input type="radio" id="method-${method.id}" name="payment_method_id" value="${method.id}"${index === 0 ? ' checked' : ''}>` +
        ` <label for="method-${method.id}">${escapeHtml(method.name)}</label></div>`,
    )
    .join('\n');
  const recurring = transaction.recurring
    ? `<p class="note">Then charged every ${transaction.recurring.cycleDays} days until cancelled.</p>`
    : '';
  return page(
    'Checkout',
    `<h1>Pay sandbox service ${transaction.serviceId}</h1>
<p>Order <strong>${escapeHtml(transaction.referenceId)}</strong></p>
<p class="amount" aria-label="Amount to pay">${escapeHtml(amountText(transaction))}</p>
<p class="note">Includes the service fee of ${escapeHtml(minorToDecimal(transaction.costMinor, transaction.currency))} ${escapeHtml(transaction.currency)}.</p>
${recurring}
<form method="post" action="/payment/${transaction.ulid}">
<fieldset>
<legend>Payment method</legend>
${options}
</fieldset>
<button class="primary" type="submit" name="action" value="pay">Pay</button>
<button type="submit" name="action" value="pay_3ds">Pay with 3-D Secure</button>
<button type="submit" name="action" value="decline">Pay with a card that is declined</button>
<button type="submit" name="action" value="cancel">Cancel and return to the shop</button>
</form>`,
  );
}

export function challengePage(transaction: PbTransaction, operation: PbOperation): string {
  if (operation.status !== 'awaiting_confirmation') return resultPage(transaction);
  return page(
    '3-D Secure',
    `<h1>Confirm your payment</h1>
<p>Your bank asks you to confirm a payment of <strong>${escapeHtml(amountText(transaction))}</strong>.</p>
<form method="post" action="/payment/3ds/${operation.ulid}">
<button class="primary" type="submit" name="action" value="confirm">Confirm</button>
<button type="submit" name="action" value="fail">Fail authentication</button>
</form>`,
  );
}

export function resultPage(transaction: PbTransaction): string {
  return page(
    'Payment status',
    `<h1>Payment ${escapeHtml(transaction.referenceId)}</h1>
<p>Status: <strong data-status="${escapeHtml(transaction.status)}">${escapeHtml(transaction.status.replaceAll('_', ' '))}</strong></p>
<p class="note">The shop learns the final status from Payment Book's webhook.</p>`,
  );
}

export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);
}
