import "server-only";
import { getDb } from "@/db/client";
import { findEventSummary, findPaymentByCheckoutSession, findPaymentById } from "@/db/queries/payments";
import { findReceiptNumberOfPayment } from "@/db/queries/receipts";
import { listTicketsOfPayment } from "@/db/queries/tickets";
import type { EventPayment, TicketStatus } from "@/db/schema";
import { isFulfilled, soldOutWhilePaying } from "./decide";
import { fulfil } from "./fulfil";

export type CheckoutState = "paid" | "refunded_sold_out" | "processing" | "awaiting_payment" | "failed" | "expired" | "under_review";

export type CheckoutOutcome =
  | { found: false }
  | {
      found: true;
      state: CheckoutState;
      payment: Pick<EventPayment, "id" | "quantity" | "amountTotal" | "currency" | "status" | "failureReason">;
      event: { title: string; slug: string };
      receiptNumber: string | null;
      tickets: { id: string; code: string; status: TicketStatus }[];
    };

const sessionIdPattern = /^cs_[A-Za-z0-9_]{1,250}$/;

/**
 * What the buyer sees on `/checkout/success`: fulfils first (the buyer may be back before the
 * webhook), then reads the result. Only the buyer's own session shows anything: someone else's
 * session id answers exactly like an unknown one.
 */
export async function getCheckoutOutcome(checkoutSessionId: string, viewerUserId: string): Promise<CheckoutOutcome> {
  if (!sessionIdPattern.test(checkoutSessionId)) return { found: false };
  const db = await getDb();
  const payment = await findPaymentByCheckoutSession(db, checkoutSessionId);
  if (!payment || payment.userId !== viewerUserId) return { found: false };
  const resumingRefund = payment.status === "succeeded" && payment.failureReason === soldOutWhilePaying;
  let current = payment;
  // Usually the webhook came first and the row read above is final; re-read only after fulfilling.
  if ((!isFulfilled(payment) || resumingRefund) && !payment.flaggedAt) {
    try {
      await fulfil(checkoutSessionId);
    } catch (error) {
      // Stripe unreachable for a moment: the webhook will fulfil; show what we know and refresh.
      console.error(`[boxoffice] fulfil from the success page failed for ${checkoutSessionId}`, error);
    }
    current = (await findPaymentById(db, payment.id)) ?? payment;
  }
  const [tickets, receiptNumber, event] = await Promise.all([
    listTicketsOfPayment(db, current.id),
    findReceiptNumberOfPayment(db, current.id),
    findEventSummary(db, current.organizationId, current.eventId),
  ]);
  return {
    found: true,
    state: stateOf(current),
    payment: current,
    event: event ?? { title: "your event", slug: "" },
    receiptNumber: receiptNumber ?? null,
    tickets: tickets.map(({ id, code, status }) => ({ id, code, status })),
  };
}

function stateOf(payment: EventPayment): CheckoutState {
  if (payment.failureReason === soldOutWhilePaying) return "refunded_sold_out";
  if (isFulfilled(payment)) return "paid";
  if (payment.flaggedAt) return "under_review";
  if (payment.status === "failed") return "failed";
  if (payment.status === "expired") return "expired";
  return payment.processingAt ? "processing" : "awaiting_payment";
}
