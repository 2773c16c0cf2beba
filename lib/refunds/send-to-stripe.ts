import "server-only";
import Stripe from "stripe";
import { getDb } from "@/db/client";
import { lockPayment } from "@/db/queries/payments";
import { findRefundOfPayment, restoreTickets, updateRefund } from "@/db/queries/refunds";
import type { EventPayment, Refund } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getStripe } from "@/lib/stripe/client";
import { applyStripeRefund, refundIdMetadataKey } from "./sync-from-stripe";

/** Stripe's idempotency key for our n-th refund of a payment: a retry can never refund twice. */
export function refundIdempotencyKey(paymentId: string, sequence: number): string {
  return `refund:${paymentId}:${sequence}`;
}

/**
 * Sends one pending refund row to Stripe, outside any lock, and applies the answer. The parameters
 * are rebuilt from the row alone so that a retry sends exactly what the first try sent (Stripe
 * answers a reused key with different parameters with an error).
 *  - Stripe answered with a refund → applied like a webhook would (`applyStripeRefund`).
 *  - Stripe refused (4xx: no refund exists) → the row is failed and its tickets are given back.
 *  - No answer (network, timeout, 5xx) → the row stays pending: a webhook carrying our row id, or
 *    a retry with the same key (`retryPendingRefund`), completes it. Either way it is 502.
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
    const refused = error instanceof Stripe.errors.StripeError && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
    if (!refused) {
      console.error("[boxoffice] refund: no answer from Stripe, row stays pending", { refundId: row.id, error });
      throw new AppError(
        "payment_provider_unavailable",
        "Stripe did not answer. The refund is recorded as pending and completes when Stripe confirms it or when you retry.",
        { refundId: row.id, refundStatus: "pending" },
        { cause: error },
      );
    }
    await markRefused(payment.id, row.id, (error as Stripe.errors.StripeError).message);
    throw new AppError(
      "payment_provider_unavailable",
      `Stripe refused the refund: ${(error as Stripe.errors.StripeError).message} Nothing was refunded.`,
      { refundId: row.id, refundStatus: "failed" },
      { cause: error },
    );
  }
  const db = await getDb();
  const applied = await db.transaction((tx) => applyStripeRefund(tx, payment.id, answer));
  return applied ?? row;
}

/** A refund Stripe refused never existed there: fail our row and give its tickets back. Nothing else changes. */
async function markRefused(paymentId: string, refundId: string, message: string) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await lockPayment(tx, paymentId);
    const row = await findRefundOfPayment(tx, paymentId, refundId);
    if (!row || row.status !== "pending" || row.stripeRefundId) return;
    await updateRefund(tx, row.id, { status: "failed", failureReason: message.slice(0, 500) });
    await restoreTickets(tx, paymentId, row.ticketIds);
  });
}
