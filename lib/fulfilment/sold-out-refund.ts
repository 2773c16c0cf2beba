import "server-only";
import { getDb } from "@/db/client";
import { findPaymentById, lockPayment } from "@/db/queries/payments";
import { listRefundsOfPayment } from "@/db/queries/refunds";
import { recordStripeEvent, type StripeEventToRecord } from "@/db/queries/stripe-events";
import { applyStripeRefund, refundIdMetadataKey } from "@/lib/refunds/sync-from-stripe";
import { getStripe } from "@/lib/stripe/client";

/**
 * Second half of a sold-out payment: ask Stripe for the full refund recorded as pending (sequence
 * 1) and apply its answer. The idempotency key `refund:{paymentId}:1` and the fixed metadata make a
 * retry — after a crash, a 500, or a concurrent duplicate event — get the same refund back, never
 * a second one. The event that triggered it is recorded only here, so if Stripe fails the event
 * stays unrecorded and Stripe's retry resumes the refund.
 */
export async function completeSoldOutRefund(paymentId: string, record?: StripeEventToRecord): Promise<void> {
  const db = await getDb();
  const payment = await findPaymentById(db, paymentId);
  const row = (await listRefundsOfPayment(db, paymentId)).find((r) => r.sequence === 1);
  if (!payment?.stripePaymentIntentId || !row) throw new Error(`sold-out refund of payment ${paymentId} is not prepared`);
  const refund =
    row.status === "pending"
      ? await getStripe().refunds.create(
          {
            payment_intent: payment.stripePaymentIntentId,
            metadata: { [refundIdMetadataKey]: row.id, payment_id: paymentId },
          },
          { idempotencyKey: `refund:${paymentId}:1` },
        )
      : undefined;
  await db.transaction(async (tx) => {
    // The payment lock comes before the event row, whose foreign key would otherwise take a share
    // lock first and deadlock against a concurrent delivery doing the same.
    await lockPayment(tx, paymentId);
    if (record) await recordStripeEvent(tx, record, paymentId);
    if (refund) await applyStripeRefund(tx, paymentId, refund);
  });
}
