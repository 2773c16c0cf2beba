/**
 * Stripe's error body `{error: {type, code, message, param, …}}` with Stripe's status codes. The SDK
 * maps `type` (and 401/402/404/409/429) to its error classes, so these must match Stripe's.
 */
export type StripeErrorType = "invalid_request_error" | "card_error" | "idempotency_error" | "api_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  request_log_url?: string;
  payment_intent?: unknown;
  charge?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = "StripeApiError";
  }
}

export function invalidRequest(message: string, extra: { param?: string; code?: string; status?: number } = {}): StripeApiError {
  const { status = 400, ...rest } = extra;
  return new StripeApiError(status, { type: "invalid_request_error", message, ...rest });
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { param, code: "parameter_missing" });
}

export function unknownParam(param: string): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, { param, code: "parameter_unknown" });
}

export function invalidParam(param: string, message: string, code = "parameter_invalid"): StripeApiError {
  return invalidRequest(message, { param, code });
}

export function noSuchResource(objectName: string, id: string, param = "id"): StripeApiError {
  return invalidRequest(`No such ${objectName}: '${id}'`, { param, code: "resource_missing", status: 404 });
}
