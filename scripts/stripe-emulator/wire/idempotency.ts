import type { Store, StoredResponse } from "../store";
import { StripeApiError } from "./errors";
import { canonicalParams, type FormObject } from "./form";
import { parseBodyText, toJsonText } from "./http";

const maxKeys = 10_000;

export type Replay = { status: number; text: string };

/** A request's parameters, and the body they were parsed from (see `rememberResponse`). */
export interface RequestParams {
  params: FormObject;
  body: string;
  /** Parsed as JSON rather than as a form. */
  json: boolean;
}

/**
 * `Idempotency-Key`: the same key with the same method, path and parameters answers the stored
 * response; with anything different it is Stripe's 400 `idempotency_error`.
 */
export function checkIdempotency(store: Store, key: string, method: string, path: string, request: RequestParams): Replay | undefined {
  const stored = store.idempotency[key];
  if (!stored) return undefined;
  if (stored.method !== method || stored.path !== path || !sameParams(stored, request)) {
    throw new StripeApiError(400, {
      type: "idempotency_error",
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    });
  }
  // State files written before responses were kept as text hold the object instead.
  return { status: stored.status, text: stored.text ?? toJsonText(stored.body) };
}

/** Equal parameters as `canonicalParams` compares them (key order does not matter). */
function sameParams(stored: StoredResponse, request: RequestParams): boolean {
  // The same text parsed the same way gives the same parameters: no canonical form needed.
  if (stored.requestBody === request.body && stored.requestJson === request.json) return true;
  return storedParams(stored) === canonicalParams(request.params);
}

/** The canonical parameters of a stored request: kept in state files, derived from the body otherwise. */
function storedParams(stored: StoredResponse): string | undefined {
  return stored.requestBody === undefined ? stored.params : canonicalParams(parseBodyText(stored.requestBody, stored.requestJson === true));
}

/**
 * Keeps the response exactly as sent (its text), so a replay answers the same bytes even after the
 * object changed. The request is kept as its body rather than as `canonicalParams`: stripe-node
 * sends a key with every POST, almost none is ever reused, and building the canonical text for
 * each was a large share of the emulator's CPU and garbage under load (it is built on a conflict).
 */
export function rememberResponse(store: Store, key: string, method: string, path: string, request: RequestParams, status: number, text: string): void {
  // Server errors are not stored, so a retry can succeed (Stripe does the same).
  if (status >= 500) return;
  store.idempotency[key] = { method, path, requestBody: request.body, requestJson: request.json, status, text };
  // stripe-node puts a fresh key on every POST: keep the most recent ones (Stripe keeps 24 h).
  // Trimmed in batches: listing every key on every request cost more than the request itself.
  const added = (addedSinceTrim.get(store) ?? 0) + 1;
  addedSinceTrim.set(store, added % trimEvery);
  if (added < trimEvery) return;
  const keys = Object.keys(store.idempotency);
  if (keys.length > maxKeys) for (const old of keys.slice(0, keys.length - maxKeys)) delete store.idempotency[old];
}

/** The responses as a state file holds them: each with its canonical parameters, as before bodies were kept. */
export function savedIdempotency(store: Store): Record<string, StoredResponse> {
  return Object.fromEntries(
    Object.entries(store.idempotency).map(([key, stored]) => [
      key,
      stored.requestBody === undefined
        ? stored
        : { method: stored.method, path: stored.path, params: storedParams(stored), status: stored.status, text: stored.text },
    ]),
  );
}

const trimEvery = 500;
const addedSinceTrim = new WeakMap<Store, number>();
