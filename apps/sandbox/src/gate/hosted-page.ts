import { minorToDecimal } from '@paydesk/domain';
import type { GatePayment } from './engine.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * The page a customer sees on Gate: a hosted payment page or a 3-D Secure challenge. Two buttons
 * stand in for the card form and the issuer's challenge; they POST back to the same URL.
 */
export function hostedPage(payment: GatePayment, message?: string): string {
  const threeDs = payment.action.type === 'three_ds';
  const open = payment.status === 'action_required' && payment.action.type !== 'none';
  const title = threeDs ? '3-D Secure verification' : 'Gate secure payment';
  const amount = `${minorToDecimal(payment.amount, payment.currencyCode)} ${payment.currencyCode}`;
  const card = payment.card ? `<p>Card •••• ${escapeHtml(payment.card.last4)}</p>` : '';
  const buttons = open
    ? `<form method="post">
  <button type="submit" name="action" value="pay">${threeDs ? 'Authenticate' : 'Pay'} ${escapeHtml(amount)}</button>
  <button type="submit" name="action" value="decline">${threeDs ? 'Fail authentication' : 'Decline'}</button>
</form>`
    : `<p role="status">This payment is ${escapeHtml(payment.status)}.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
  .amount { font-size: 2rem; font-weight: 600; margin: .5rem 0; }
  button { font-size: 1rem; padding: .6rem 1.2rem; margin: .25rem .5rem .25rem 0; cursor: pointer; }
  button[value="pay"] { background: #1565c0; color: #fff; border: 0; border-radius: 4px; }
  .sandbox { color: #8a6d00; font-size: .85rem; }
</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p class="sandbox">Paydesk sandbox: no real money moves.</p>
${message ? `<p role="alert">${escapeHtml(message)}</p>` : ''}
<p>${escapeHtml(payment.description ?? `Payment ${payment.referenceId}`)}</p>
<p class="amount">${escapeHtml(amount)}</p>
${card}
${buttons}
</main>
</body>
</html>
`;
}
