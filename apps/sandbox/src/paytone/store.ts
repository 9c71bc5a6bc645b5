/**
 * In-memory state of one Paytone commerce account: invoices, refunds and customers, with the
 * indexes the API needs (id, merchant reference, newest-first order for cursor pages).
 */
import { serialNumber } from './ids.ts';
import type { Customer, PaymentInvoice, PayoutInvoice, Refund } from './model.ts';

export interface CustomerInput {
  referenceId: string;
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  country?: string | null | undefined;
}

export interface PageRequest {
  size: number;
  after?: string | undefined;
  before?: string | undefined;
  referenceId?: string | undefined;
}

export type PageResult =
  | { ok: true; items: PaymentInvoice[]; hasPrevious: boolean; hasNext: boolean }
  | { ok: false; cursor: 'page[after]' | 'page[before]' };

/** Newest first; among equal creation times, the later insertion first. */
function newerFirst(a: PaymentInvoice, b: PaymentInvoice): number {
  return b.createdMs - a.createdMs || b.seq - a.seq;
}

export class PaytoneStore {
  readonly payments = new Map<string, PaymentInvoice>();
  readonly payouts = new Map<string, PayoutInvoice>();
  private readonly paymentsByReference = new Map<string, PaymentInvoice>();
  private readonly payoutsByReference = new Map<string, PayoutInvoice>();
  private readonly refundsByReference = new Map<string, Refund>();
  private readonly customersByReference = new Map<string, Customer>();
  private readonly ids = new Set<string>();
  /** Payment invoices, kept sorted by `newerFirst` for the list endpoint. */
  private readonly ordered: PaymentInvoice[] = [];
  private seq = 0;

  constructor(private readonly random: () => number) {}

  nextSeq(): number {
    return ++this.seq;
  }

  /** A fresh `<prefix>_<serial>` id; returns the serial too, which invoices show on their own. */
  newId(prefix: 'cpi' | 'cpoi' | 'cus' | 'ref' | 'cgi'): { id: string; serial: string } {
    for (;;) {
      const serial = serialNumber(this.random);
      const id = `${prefix}_${serial}`;
      if (!this.ids.has(id)) {
        this.ids.add(id);
        return { id, serial };
      }
    }
  }

  paymentByReference(referenceId: string): PaymentInvoice | undefined {
    return this.paymentsByReference.get(referenceId);
  }

  payoutByReference(referenceId: string): PayoutInvoice | undefined {
    return this.payoutsByReference.get(referenceId);
  }

  refundByReference(referenceId: string): Refund | undefined {
    return this.refundsByReference.get(referenceId);
  }

  addPayment(invoice: PaymentInvoice): void {
    this.payments.set(invoice.id, invoice);
    this.paymentsByReference.set(invoice.referenceId, invoice);
    this.ordered.splice(this.insertionIndex(invoice), 0, invoice);
  }

  addPayout(payout: PayoutInvoice): void {
    this.payouts.set(payout.id, payout);
    this.payoutsByReference.set(payout.referenceId, payout);
  }

  addRefund(invoice: PaymentInvoice, refund: Refund): void {
    invoice.refunds.push(refund);
    this.refundsByReference.set(refund.referenceId, refund);
  }

  /** One customer per merchant `reference_id`; later requests update the details they carry. */
  upsertCustomer(input: CustomerInput): Customer {
    const existing = this.customersByReference.get(input.referenceId);
    const customer = existing ?? {
      id: this.newId('cus').id,
      referenceId: input.referenceId,
      name: null,
      email: null,
      phone: null,
      country: null,
    };
    customer.name = input.name ?? customer.name;
    customer.email = input.email ?? customer.email;
    customer.phone = input.phone ?? customer.phone;
    customer.country = input.country ?? customer.country;
    this.customersByReference.set(input.referenceId, customer);
    return customer;
  }

  /**
   * A cursor page, newest first: `after` continues past an id towards older invoices, `before` goes
   * back towards newer ones. A cursor that is not in the (filtered) list is refused.
   */
  listPayments(request: PageRequest): PageResult {
    let candidates: PaymentInvoice[] = this.ordered;
    if (request.referenceId !== undefined) {
      const match = this.paymentsByReference.get(request.referenceId);
      candidates = match ? [match] : [];
    }
    let start: number;
    let end: number;
    if (request.after !== undefined) {
      const index = this.indexIn(candidates, request.after);
      if (index < 0) return { ok: false, cursor: 'page[after]' };
      start = index + 1;
      end = Math.min(candidates.length, start + request.size);
    } else if (request.before !== undefined) {
      const index = this.indexIn(candidates, request.before);
      if (index < 0) return { ok: false, cursor: 'page[before]' };
      end = index;
      start = Math.max(0, end - request.size);
    } else {
      start = 0;
      end = Math.min(candidates.length, request.size);
    }
    return {
      ok: true,
      items: candidates.slice(start, end),
      hasPrevious: start > 0,
      hasNext: end < candidates.length,
    };
  }

  private indexIn(candidates: PaymentInvoice[], id: string): number {
    const cursor = this.payments.get(id);
    if (!cursor) return -1;
    if (candidates !== this.ordered) return candidates.indexOf(cursor);
    const index = this.insertionIndex(cursor);
    return this.ordered[index] === cursor ? index : -1;
  }

  /** Binary search: the first position whose invoice does not sort before `invoice`. */
  private insertionIndex(invoice: PaymentInvoice): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const current = this.ordered[middle];
      if (current !== undefined && newerFirst(current, invoice) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
