/**
 * Paydesk's own receipt, for providers that issue none (Gate, Paytone): one A4 page with the merchant's
 * name, the amount written exactly from minor units, the card as BIN and last four only, every
 * reference staff and customers quote, and dates in the merchant's time zone.
 *
 * The PDF is written uncompressed: a receipt is a few kilobytes either way, and its text stays
 * readable by simple tools (search, archiving, tests).
 */
import PDFDocument from 'pdfkit';
import { minorToDecimal, providerLabels, type Money, type ProviderName } from '@paydesk/domain';

export interface ReceiptContent {
  merchant: { name: string; timeZone: string };
  title: string;
  provider: ProviderName;
  amount: Money;
  /** For a refund: the payment it gives back. */
  originalAmount?: Money;
  status: string;
  occurredAt: Date;
  issuedAt: Date;
  card?: { bin?: string | null; last4?: string | null; brand?: string | null };
  customer?: { email?: string | null; name?: string | null };
  method?: string | null;
  references: {
    paydeskId: string;
    providerId: string;
    merchantReference: string;
    operationId: string;
  };
}

/** "1,234.56 EUR": exact, from minor units, never through a float. */
export function formatAmount(money: Money): string {
  const decimal = minorToDecimal(money.amountMinor, money.currency);
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''} ${money.currency}`;
}

/** BIN •••• last four, or •••• last four: nothing more of a card is ever printed. */
export function maskedCard(card: ReceiptContent['card']): string | null {
  const bin = card?.bin && /^\d{6,8}$/.test(card.bin) ? card.bin : null;
  const last4 = card?.last4 && /^\d{4}$/.test(card.last4) ? card.last4 : null;
  if (!last4) return null;
  const brand = card?.brand ? `${card.brand.charAt(0).toUpperCase()}${card.brand.slice(1)} ` : '';
  return `${brand}${bin ? `${bin} ` : ''}•••• ${last4}`;
}

/** "2026-05-01 14:03:22 (Europe/Riga, GMT+03:00)": wall-clock time in the merchant's zone, and which. */
export function formatInZone(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const offset = part('timeZoneName');
  const zone = timeZone === 'UTC' ? 'UTC' : `${timeZone}, ${offset === 'GMT' ? 'GMT+00:00' : offset}`;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} (${zone})`;
}

/** Characters the standard PDF fonts (WinAnsi) can draw beyond Latin-1. */
const winAnsiExtras = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the standard Helvetica can draw: accents it lacks are dropped (Jānis → Janis), anything else
 * it cannot draw becomes "?", so a name never turns into garbage glyphs.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) {
      out += ' ';
      continue;
    }
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff) || winAnsiExtras.has(char)) {
      out += char;
      continue;
    }
    const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
    out += [...base].every((c) => c.codePointAt(0)! < 0x80) && base !== '' ? base : '?';
  }
  return out;
}

const titleLabels: Record<string, string> = {
  payment: 'Payment receipt',
  subscription: 'Subscription payment receipt',
  refund: 'Refund receipt',
  payout: 'Payout receipt',
  chargeback: 'Chargeback notice',
};

export function receiptTitle(operationType: string): string {
  return titleLabels[operationType] ?? 'Receipt';
}

export function renderReceiptPdf(content: ReceiptContent): Promise<Buffer> {
  const zone = content.merchant.timeZone;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: false,
    info: {
      Title: toWinAnsi(`${content.title} ${content.references.operationId}`),
      Author: toWinAnsi(content.merchant.name),
      Creator: 'Paydesk',
      CreationDate: content.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const card = maskedCard(content.card);
  const customer = [content.customer?.name, content.customer?.email].filter(Boolean).join(', ');
  const rows: [string, string][] = [
    ['Amount', formatAmount(content.amount)],
    ...(content.originalAmount
      ? ([['Original payment', formatAmount(content.originalAmount)]] as [string, string][])
      : []),
    ['Status', content.status],
    ['Date', formatInZone(content.occurredAt, zone)],
    ...(card ? ([['Card', card]] as [string, string][]) : []),
    ...(content.method && !card ? ([['Method', content.method]] as [string, string][]) : []),
    ...(customer ? ([['Customer', customer]] as [string, string][]) : []),
    ['Processed by', providerLabels[content.provider]],
    ['Paydesk id', content.references.paydeskId],
    [`${providerLabels[content.provider]} id`, content.references.providerId],
    ['Merchant reference', content.references.merchantReference],
    ['Operation id', content.references.operationId],
  ];

  doc.font('Helvetica-Bold').fontSize(20).text(toWinAnsi(content.merchant.name));
  doc.moveDown(0.3).font('Helvetica').fontSize(14).text(content.title);
  doc.moveDown(1.2).fontSize(11);
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('Helvetica-Bold').text(label, 56, y, { width: 150 });
    const labelBottom = doc.y;
    doc.font('Helvetica').text(toWinAnsi(value), 210, y, { width: 330 });
    doc.y = Math.max(doc.y, labelBottom) + 4;
  }
  doc
    .moveDown(2)
    .fontSize(9)
    .fillColor('#555555')
    .text(
      toWinAnsi(
        `Issued by Paydesk for ${content.merchant.name} on ${formatInZone(content.issuedAt, zone)}. ` +
          `${providerLabels[content.provider]} issues no receipts of its own; this one is drawn from what ` +
          'it reported. It is not a tax invoice.',
      ),
      56,
      doc.y,
      { width: 484 },
    );
  doc.end();
  return done;
}
