import "server-only";
import { getDb } from "@/db/client";
import { findReceiptForViewer, listRefundsForReceipt } from "@/db/queries/receipts";
import { listTicketsOfPayment } from "@/db/queries/tickets";
import type { PaymentStatus, RefundStatus, TicketStatus } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/validation";

/** The receipt as `GET /api/payments/{paymentId}/receipt` answers it (and the receipt page shows it). */
export interface ReceiptView {
  receiptNumber: string;
  paymentId: string;
  status: PaymentStatus;
  currency: string;
  amountTotal: number;
  amountRefunded: number;
  issuedAt: string;
  organization: { id: string; name: string };
  event: { id: string; title: string; startsAt: string; venue: string; timeZone: string };
  buyer: { email: string; name: string | null };
  items: { ticketType: string; quantity: number; unitAmount: number; amount: number }[];
  paymentMethod: { type: string; brand: string | null; last4: string | null } | null;
  paidAt: string;
  disputed: boolean;
  tickets: { id: string; code: string; status: TicketStatus }[];
  refunds: { id: string; amount: number; status: RefundStatus; createdAt: string }[];
}

/**
 * The seed's `get_receipt`: for the buyer or a member of the payment's organization. Everyone else
 * — and a malformed or unknown id — gets the same not-found.
 */
export async function getReceipt(paymentId: string, viewerUserId: string): Promise<ReceiptView> {
  if (!isUuid(paymentId)) throw notFound("The receipt");
  const db = await getDb();
  const found = await findReceiptForViewer(db, paymentId, viewerUserId);
  if (!found) throw notFound("The receipt");
  const { receipt, payment } = found;
  const [tickets, refunds] = await Promise.all([
    listTicketsOfPayment(db, paymentId),
    listRefundsForReceipt(db, receipt.organizationId, paymentId),
  ]);
  const snapshot = receipt.snapshot;
  return {
    receiptNumber: receipt.receiptNumber,
    paymentId: payment.id,
    status: payment.status,
    currency: payment.currency,
    amountTotal: payment.amountTotal,
    amountRefunded: payment.amountRefunded,
    issuedAt: receipt.issuedAt.toISOString(),
    organization: snapshot.organization,
    event: snapshot.event,
    buyer: { email: snapshot.buyer.email, name: snapshot.buyer.name },
    items: snapshot.items.map(({ ticketType, quantity, unitAmount, amount }) => ({ ticketType, quantity, unitAmount, amount })),
    paymentMethod: snapshot.paymentMethod,
    paidAt: snapshot.paidAt,
    disputed: payment.disputedAt !== null,
    tickets: tickets.map(({ id, code, status }) => ({ id, code, status })),
    refunds: refunds.map((r) => ({ id: r.id, amount: r.amount, status: r.status, createdAt: r.createdAt.toISOString() })),
  };
}
