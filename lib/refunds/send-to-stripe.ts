import "server-only";
import Stripe from "stripe";
import { getDb } from "@/db/client";
import type { EventPayment, Refund } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getStripe } from "@/lib/stripe/client";
import { applyStripeRefund, failRefusedRefund, refundIdMetadataKey } from "./sync-from-stripe";

/** Stripe's idempotency key for our n-th refund of a payment: a retry can never refund twice. */
export function refundIdempotencyKey(paymentId: string, sequence: number): string {
  return `refund:${paymentId}:${sequence}`;
}

/**
 * Sends one pending refund row to Stripe, outside any lock, and applies the answer. The parameters
 * are rebuilt from the row alone so that a retry sends exactly what the first try sent (Stripe
 * answers a reused key with different parameters with an error).
 *  - Stripe answered with a refund → applied like a webhook would (`applyStripeRefund`).
 *  - Stripe refused it (an answer that proves no refund exists) → the row is failed and its
 *    tickets are given back.
 *  - Anything else (network, timeout, 5xx, 409 key in use, 429…) → the row stays pending: a webhook
 *    carrying our row id, or a retry with the same key (`retryPendingRefund`), completes it.
 * Either way of not refunding is a 502.
 */
export async function sendRefundToStripe(payment: Pick<EventPayment, "id" | "stripePaymentIntentId">, row: Refund): Promise<Refund> {
  if (row.sequence === null || !payment.stripePaymentIntentId) throw new Error(`refund ${row.id} cannot be sent to Stripe`);
  let answer: Stripe.Refund;
  try {
    answer = await getStripe().refunds.create(
      {
        payment_intent: payment.stripePaymentIntentId,
        amount: row.amount,
        ...(row.reason && { reason: row.reason as Stripe.RefundCreateParams.Reason }),
        metadata: { [refundIdMetadataKey]: row.id, boxoffice_payment_id: payment.id },
      },
      { idempotencyKey: refundIdempotencyKey(payment.id, row.sequence) },
    );
  } catch (error) {
    if (!provesNoRefund(error)) {
      console.error("[boxoffice] refund: no usable answer from Stripe, row stays pending", { refundId: row.id, error });
      throw new AppError(
        "payment_provider_unavailable",
        "Stripe did not confirm the refund yet. It is recorded as pending and completes when Stripe confirms it or when you retry.",
        { refundId: row.id, refundStatus: "pending" },
        { cause: error },
      );
    }
    const db = await getDb();
    await db.transaction((tx) => failRefusedRefund(tx, payment.id, row.id, error.message));
    throw refusedByStripe(row.id, error.message, error);
  }
  const db = await getDb();
  const applied = await db.transaction((tx) => applyStripeRefund(tx, payment.id, answer));
  return applied ?? row;
}

/** A refund row still waiting for Stripe's first answer: sending it again (same key) completes it. */
export function awaitsStripesAnswer(row: Refund): boolean {
  return row.status === "pending" && !row.stripeRefundId && !row.external;
}

/** The 502 for a refund Stripe refused: nothing was refunded. Also what a replay of that request gets. */
export function refusedByStripe(refundId: string, reason: string, cause?: unknown): AppError {
  return new AppError(
    "payment_provider_unavailable",
    `Stripe refused the refund: ${reason} Nothing was refunded.`,
    { refundId, refundStatus: "failed" },
    { cause },
  );
}

/**
 * Whether Stripe's error proves that no refund exists under our idempotency key: it looked at the
 * request and refused it (400, 402, 404). Stripe replays a key's stored result, so had an earlier
 * attempt made the refund, this answer would be that refund. Not proof: 409 (a request with the
 * same key still in flight — stripe-node's own retry, or "Retry with Stripe" racing the first
 * call), 429 (rate limit, lock timeout), 401/403, an `idempotency_error`, 5xx, no answer at all.
 */
function provesNoRefund(error: unknown): error is Stripe.errors.StripeError {
  return (
    error instanceof Stripe.errors.StripeError &&
    (error.statusCode === 400 || error.statusCode === 402 || error.statusCode === 404) &&
    !(error instanceof Stripe.errors.StripeIdempotencyError)
  );
}
