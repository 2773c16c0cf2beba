import type { EventPayment, TicketStatus } from "@/db/schema";

/**
 * What a payment's Stripe dispute status means for its tickets and for refunds. Stripe's statuses:
 * inquiries `warning_needs_response` → `warning_under_review` → `warning_closed` (no chargeback),
 * chargebacks `needs_response` → `under_review` → `won` | `lost`.
 */
type DisputeState = Pick<EventPayment, "disputedAt" | "disputeStatus">;

/** Closed with the money staying with the organizer: the tickets come back and refunds are allowed. */
const settledForOrganizer = new Set(["won", "warning_closed"]);

export function isDisputeClosed(status: string | null): boolean {
  return status === "lost" || (status !== null && settledForOrganizer.has(status));
}

/** Stripe refuses refunds on a charge under an open or lost dispute. */
export function disputeBlocksRefund(payment: DisputeState): boolean {
  return payment.disputedAt !== null && !(payment.disputeStatus !== null && settledForOrganizer.has(payment.disputeStatus));
}

/**
 * The status a ticket of this payment has when no refund stands against it: suspended while a
 * dispute is open, void once the chargeback is lost, valid otherwise.
 */
export function ticketStatusUnderDispute(payment: DisputeState): TicketStatus {
  if (payment.disputedAt === null) return "valid";
  if (payment.disputeStatus === "lost") return "void";
  return disputeBlocksRefund(payment) ? "suspended" : "valid";
}
