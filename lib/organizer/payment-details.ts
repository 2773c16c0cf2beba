import "server-only";
import { getDb } from "@/db/client";
import {
  findOrganizationPayment,
  listPaymentRefunds,
  listPaymentStripeEvents,
  listPaymentTickets,
} from "@/db/queries/organizer-payments";
import { summarizeRefunds } from "@/db/queries/refunds";
import { notFound } from "@/lib/errors";
import { disputeBlocksRefund } from "@/lib/refunds/dispute-status";
import { isUuid } from "@/lib/validation";

/**
 * Everything an organizer sees about one payment of their organization. Any other organization's
 * payment, or an id that is not even a uuid, is the same "not found".
 */
export async function getPaymentDetails(organizationId: string, paymentId: string) {
  if (!isUuid(paymentId)) throw notFound("The payment");
  const db = await getDb();
  const found = await findOrganizationPayment(db, organizationId, paymentId);
  if (!found) throw notFound("The payment");
  const [tickets, refunds, stripeEvents, totals] = await Promise.all([
    listPaymentTickets(db, organizationId, paymentId),
    listPaymentRefunds(db, organizationId, paymentId),
    listPaymentStripeEvents(db, organizationId, paymentId),
    summarizeRefunds(db, paymentId),
  ]);
  const refundable =
    (found.payment.status === "succeeded" || found.payment.status === "partially_refunded") && !disputeBlocksRefund(found.payment);
  return {
    ...found,
    tickets,
    refunds,
    stripeEvents,
    pendingRefunds: totals.pending,
    remaining: refundable ? Math.max(0, found.payment.amountTotal - totals.succeeded - totals.pending) : 0,
  };
}

export type PaymentDetails = Awaited<ReturnType<typeof getPaymentDetails>>;
