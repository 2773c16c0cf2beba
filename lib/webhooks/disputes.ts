import "server-only";
import type Stripe from "stripe";
import { updatePayment } from "@/db/queries/payments";
import type { StripeEventToRecord } from "@/db/queries/stripe-events";
import { setTicketStatusOfPayment } from "@/db/queries/tickets";
import { isLateDisputeCreated, ticketStatusUnderDispute } from "@/lib/refunds/dispute-status";
import { applyEventOnce } from "./apply-once";
import { ensureFulfilled, findPaymentOfIntent, intentOfCharge } from "./resolve-payment";

/**
 * `charge.dispute.created` flags the payment and suspends its tickets; `charge.dispute.closed`
 * restores them when the money stays with the organizer (`won`, or an inquiry that closed
 * `warning_closed` without a chargeback) and voids them when `lost`. A `created` arriving after
 * `closed` only fills in the date: the outcome already decided wins — except that a chargeback
 * after a closed inquiry is a new dispute and suspends the tickets again.
 */
export async function handleDisputeEvent(
  event: Stripe.ChargeDisputeCreatedEvent | Stripe.ChargeDisputeClosedEvent,
  record: StripeEventToRecord,
): Promise<void> {
  const dispute = event.data.object;
  const intent = dispute.payment_intent ?? (await intentOfCharge(dispute.charge));
  const found = await findPaymentOfIntent(intent);
  const fulfilledId = found && (await ensureFulfilled(found));
  const disputedAt = new Date(dispute.created * 1000);
  await applyEventOnce(record, fulfilledId ?? null, async (tx, locked) => {
    const paymentId = locked.id;
    if (event.type === "charge.dispute.closed") {
      const closed = { disputedAt: locked.disputedAt ?? disputedAt, disputeStatus: dispute.status };
      await updatePayment(tx, paymentId, closed);
      const now = ticketStatusUnderDispute(closed);
      if (now === "valid") await setTicketStatusOfPayment(tx, paymentId, ["suspended"], "valid");
      else if (now === "void") await setTicketStatusOfPayment(tx, paymentId, ["valid", "suspended"], "void");
      return;
    }
    if (isLateDisputeCreated(locked.disputeStatus, dispute.status)) {
      await updatePayment(tx, paymentId, { disputedAt: locked.disputedAt ?? disputedAt });
      return;
    }
    await updatePayment(tx, paymentId, { disputedAt, disputeStatus: dispute.status });
    await setTicketStatusOfPayment(tx, paymentId, ["valid"], "suspended");
  });
}
