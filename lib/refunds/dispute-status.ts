import type { EventPayment, TicketStatus } from "@/db/schema";

/**
 * What a payment's Stripe dispute status means for its tickets and for refunds. Stripe's statuses:
 * inquiries `warning_needs_response` → `warning_under_review` → `warning_closed` (no chargeback),
 * chargebacks `needs_response` → `under_review` → `won` | `lost`.
 */
type DisputeState = Pick<EventPayment, "disputedAt" | "disputeStatus">;

/** Closed with the money staying with the organizer: the tickets come back and refunds are allowed. */
const settledForOrganizer = new Set(["won", "warning_closed"]);
/** An open inquiry: no funds have moved, and Stripe lets the charge be refunded (its advice to avoid a chargeback). */
const openInquiry = new Set(["warning_needs_response", "warning_under_review"]);

/**
 * Whether a `charge.dispute.created` arriving now is a late copy of something already recorded. An
 * inquiry's `created` is, once anything is recorded. A chargeback's is after won or lost; after an
 * inquiry (open or closed without one) it is the cardholder's bank escalating: a dispute of its own.
 */
export function isLateDisputeCreated(stored: string | null, incoming: string): boolean {
  if (stored === null) return false;
  if (incoming.startsWith("warning_")) return true;
  return stored === "won" || stored === "lost";
}

/** Stripe refuses refunds on a charge under an open or lost chargeback; an inquiry does not block them. */
export function disputeBlocksRefund(payment: DisputeState): boolean {
  if (payment.disputedAt === null) return false;
  const status = payment.disputeStatus;
  return !(status !== null && (settledForOrganizer.has(status) || openInquiry.has(status)));
}

/**
 * The status a ticket of this payment has when no refund stands against it: suspended while a
 * dispute (inquiry or chargeback) is open, void once the chargeback is lost, valid otherwise.
 */
export function ticketStatusUnderDispute(payment: DisputeState): TicketStatus {
  if (payment.disputedAt === null) return "valid";
  if (payment.disputeStatus === "lost") return "void";
  return payment.disputeStatus !== null && settledForOrganizer.has(payment.disputeStatus) ? "valid" : "suspended";
}
