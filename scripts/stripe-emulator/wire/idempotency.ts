import type { Store } from "../store";
import { StripeApiError } from "./errors";
import { canonicalParams, type FormObject } from "./form";
import { toJsonText } from "./http";

const maxKeys = 10_000;

export type Replay = { status: number; text: string };

/**
 * `Idempotency-Key`: the same key with the same method, path and parameters answers the stored
 * response; with anything different it is Stripe's 400 `idempotency_error`.
 */
export function checkIdempotency(store: Store, key: string, method: string, path: string, params: FormObject): Replay | undefined {
  const stored = store.idempotency[key];
  if (!stored) return undefined;
  if (stored.method !== method || stored.path !== path || stored.params !== canonicalParams(params)) {
    throw new StripeApiError(400, {
      type: "idempotency_error",
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    });
  }
  // State files written before responses were kept as text hold the object instead.
  return { status: stored.status, text: stored.text ?? toJsonText(stored.body) };
}

/** Keeps the response exactly as sent (its text), so a replay answers the same bytes even after the object changed. */
export function rememberResponse(store: Store, key: string, method: string, path: string, params: FormObject, status: number, text: string): void {
  // Server errors are not stored, so a retry can succeed (Stripe does the same).
  if (status >= 500) return;
  store.idempotency[key] = { method, path, params: canonicalParams(params), status, text };
  // stripe-node puts a fresh key on every POST: keep the most recent ones (Stripe keeps 24 h).
  // Trimmed in batches: listing every key on every request cost more than the request itself.
  const added = (addedSinceTrim.get(store) ?? 0) + 1;
  addedSinceTrim.set(store, added % trimEvery);
  if (added < trimEvery) return;
  const keys = Object.keys(store.idempotency);
  if (keys.length > maxKeys) for (const old of keys.slice(0, keys.length - maxKeys)) delete store.idempotency[old];
}

const trimEvery = 500;
const addedSinceTrim = new WeakMap<Store, number>();
