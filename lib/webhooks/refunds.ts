import "server-only";
import type Stripe from "stripe";
import type { StripeEventToRecord } from "@/db/queries/stripe-events";
import { applyStripeRefund } from "@/lib/refunds/sync-from-stripe";
import { getStripe } from "@/lib/stripe/client";
import { applyEventOnce } from "./apply-once";
import { ensureFulfilled, findPaymentOfIntent, intentOfCharge } from "./resolve-payment";

type RefundEvent = Stripe.RefundCreatedEvent | Stripe.RefundUpdatedEvent | Stripe.RefundFailedEvent;

/**
 * `refund.created` / `refund.updated` / `refund.failed`: upsert the refund by its `re_` id (ours or
 * made in Stripe's dashboard) and recompute the payment's totals. A refund for a payment we have
 * not fulfilled yet performs fulfilment first, so the result equals in-order delivery.
 */
export async function handleRefundEvent(event: RefundEvent, record: StripeEventToRecord): Promise<void> {
  const refund = event.data.object;
  const intent = refund.payment_intent ?? (refund.charge ? await intentOfCharge(refund.charge) : null);
  const found = await findPaymentOfIntent(intent);
  const paymentId = found && (await ensureFulfilled(found));
  await applyEventOnce(record, paymentId ?? null, async (tx, { id }) => {
    await applyStripeRefund(tx, id, refund);
  });
}

/**
 * `charge.refunded`: the charge's snapshot does not list its refunds on this API version, so the
 * refunds are listed from Stripe and each is applied (the same idempotent upsert as above).
 */
export async function handleChargeRefunded(event: Stripe.ChargeRefundedEvent, record: StripeEventToRecord): Promise<void> {
  const charge = event.data.object;
  const intent = await intentOfCharge(charge);
  const found = await findPaymentOfIntent(intent);
  const paymentId = found && (await ensureFulfilled(found));
  const refunds = paymentId && intent ? await listAllRefunds(intent) : [];
  await applyEventOnce(record, paymentId ?? null, async (tx, { id }) => {
    for (const refund of refunds) await applyStripeRefund(tx, id, refund);
  });
}

async function listAllRefunds(paymentIntentId: string): Promise<Stripe.Refund[]> {
  const refunds: Stripe.Refund[] = [];
  for await (const refund of getStripe().refunds.list({ payment_intent: paymentIntentId, limit: 100 })) refunds.push(refund);
  return refunds;
}
