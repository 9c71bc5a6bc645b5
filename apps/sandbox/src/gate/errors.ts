/** Gate's error codes (providers/README.md "Gate"). `code` is a string in the error envelope. */
export const gateErrors = {
  1000: 'processing_error',
  1002: 'incorrect_request',
  1003: 'unauthorized',
  1004: 'duplicate_request',
  1005: 'payment_method_not_supported',
  1006: 'currency_not_supported',
  1007: 'invalid_currency',
  1008: 'invalid_amount',
  1009: 'interface_operation_not_supported',
  1010: 'bin_not_found',
  1104: 'payment_not_found',
  1105: 'invalid_payment_state',
  1106: 'payout_not_found',
} as const;
export type GateErrorCode = keyof typeof gateErrors;

/** Decline codes, carried as integers in `declineReason.code`. */
export const gateDeclines = {
  1000: 'processing_error',
  3001: 'declined_by_acquirer',
  4001: 'declined_by_issuer',
  4002: 'issuer_insufficient_funds',
  4003: 'issuer_invalid_card_number',
  4004: 'issuer_card_expired',
  4005: 'issuer_limits_reached',
  4006: 'issuer_card_stolen',
  4007: 'issuer_invalid_security_code',
  5001: 'declined_by_3ds',
} as const;
export type GateDeclineCode = keyof typeof gateDeclines;

export interface GateErrorEnvelope {
  code: string;
  name: string;
  description: string;
}

/** A request Gate refuses; the route handler turns it into the envelope and its HTTP status. */
export class GateError extends Error {
  override readonly name = 'GateError';

  constructor(
    readonly code: GateErrorCode,
    readonly description: string,
  ) {
    super(`${code} ${gateErrors[code]}: ${description}`);
  }

  get httpStatus(): number {
    // Gate documents 400 for every refused request; only the bearer check answers 401.
    return this.code === 1003 ? 401 : this.code === 1000 ? 500 : 400;
  }

  toEnvelope(): GateErrorEnvelope {
    return { code: String(this.code), name: gateErrors[this.code], description: this.description };
  }
}
