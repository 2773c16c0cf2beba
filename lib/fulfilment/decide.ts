import type Stripe from "stripe";
import type { EventPayment } from "@/db/schema";

/** The reason recorded on a payment Stripe took after its places were gone. */
export const soldOutWhilePaying = "sold out while paying";

const fulfilledStatuses = new Set<EventPayment["status"]>(["succeeded", "partially_refunded", "refunded"]);

export type FulfilmentDecision =
  | "already_fulfilled"
  | "resume_sold_out_refund"
  | "not_paid"
  | "processing"
  | "flagged"
  | "amount_mismatch"
  | "sold_out"
  | "fulfil";

export function isFulfilled(payment: EventPayment): boolean {
  return fulfilledStatuses.has(payment.status);
}

/**
 * Whether this payment's places must be re-counted before it gets tickets: only when its own hold
 * no longer reserves them (it expired, or gave its places back — lapsed — or the payment was closed
 * as expired/failed meanwhile).
 */
export function needsCapacityCheck(payment: EventPayment, now: Date): boolean {
  if (isFulfilled(payment)) return false;
  return payment.status !== "pending" || payment.holdLapsed || payment.holdExpiresAt.getTime() <= now.getTime();
}

export function sessionIsPaid(session: Stripe.Checkout.Session): boolean {
  return session.payment_status === "paid" || session.payment_status === "no_payment_required";
}

/**
 * What fulfilment does with this payment given Stripe's session, decided under the payment lock.
 * `available` is the places left on the ticket type, known only when the capacity was re-counted.
 */
export function decideFulfilment(
  payment: EventPayment,
  session: Stripe.Checkout.Session,
  available: number | undefined,
  now: Date,
): FulfilmentDecision {
  if (payment.status === "succeeded" && payment.failureReason === soldOutWhilePaying) return "resume_sold_out_refund";
  if (isFulfilled(payment)) return "already_fulfilled";
  if (!sessionIsPaid(session)) return session.status === "complete" ? "processing" : "not_paid";
  if (payment.flaggedAt) return "flagged";
  if (session.amount_total !== payment.amountTotal || session.currency?.toLowerCase() !== payment.currency) {
    return "amount_mismatch";
  }
  if (needsCapacityCheck(payment, now)) {
    if (available === undefined) throw new Error("capacity must be re-counted under the ticket type lock");
    if (available < payment.quantity) return "sold_out";
  }
  return "fulfil";
}
