/**
 * The one error type of the app. Services throw it with a stable snake_case code and a message
 * written for the person who will read it; edges map it to HTTP or to a form message.
 */
const statusByCode = {
  invalid_request: 400,
  validation_failed: 400,
  unknown_ticket_type: 400,
  invalid_quantity: 400,
  invalid_signature: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  sold_out: 409,
  not_enough_tickets: 409,
  sales_not_open: 409,
  sales_closed: 409,
  too_many_open_checkouts: 409,
  nothing_to_refund: 409,
  refund_exceeds_remaining: 409,
  payment_not_refundable: 409,
  last_owner: 409,
  payload_too_large: 413,
  // The same Idempotency-Key was sent again with a different purchase or refund.
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  payment_provider_unavailable: 502,
} as const;

export type ErrorCode = keyof typeof statusByCode;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra machine-readable fields for the response body (e.g. field errors, amounts left). */
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
    this.status = statusByCode[code];
  }
}

export const notFound = (what = "The resource") => new AppError("not_found", `${what} was not found.`);

export function errorBody(error: AppError) {
  return { error: { code: error.code, message: error.message, ...error.details } };
}
