import "server-only";
import type Stripe from "stripe";
import { getDb, type Database } from "@/db/client";
import {
  findPaymentByCheckoutSession,
  findPaymentById,
  lockPaymentForFulfilment,
  lockTicketTypeAvailability,
} from "@/db/queries/payments";
import { recordStripeEvent, type StripeEventToRecord } from "@/db/queries/stripe-events";
import type { EventPayment } from "@/db/schema";
import { getStripe } from "@/lib/stripe/client";
import { isUuid } from "./uuid";
import { applyFulfilmentDecision } from "./apply";
import { decideFulfilment, needsCapacityCheck, type FulfilmentDecision } from "./decide";
import { completeSoldOutRefund } from "./sold-out-refund";

export interface FulfilResult {
  paymentId: string | null;
  decision: FulfilmentDecision | "unknown_payment" | "duplicate_event";
}

/** Thrown inside the transaction to roll back the effect of an event that was already recorded. */
class DuplicateEvent extends Error {}

/** Re-reads a Checkout Session with what fulfilment needs: the PaymentIntent and its charge. */
export async function readCheckoutSession(checkoutSessionId: string): Promise<Stripe.Checkout.Session> {
  return getStripe().checkout.sessions.retrieve(checkoutSessionId, {
    expand: ["payment_intent", "payment_intent.latest_charge"],
  });
}

/**
 * `fulfil(checkoutSessionId)`: the one way a payment gets its tickets and receipt, used by the
 * webhook and by the success page. Stripe is asked first (outside any lock); then one transaction
 * decides under the payment lock, so running it twice — or twice at once — does nothing the
 * second time.
 */
export async function fulfil(checkoutSessionId: string): Promise<FulfilResult> {
  return fulfilSession(await readCheckoutSession(checkoutSessionId));
}

/**
 * Fulfils from an already re-read session. With `record`, the Stripe event is recorded in the same
 * transaction as the effect (a redelivered event then changes nothing).
 */
export async function fulfilSession(
  session: Stripe.Checkout.Session,
  record?: StripeEventToRecord,
  /** The payment when the caller already looked it up (null: looked up and not found). */
  known?: EventPayment | null,
): Promise<FulfilResult> {
  const db = await getDb();
  const payment = known === undefined ? await findPaymentOfSession(db, session) : (known ?? undefined);
  if (!payment) {
    if (record) await db.transaction((tx) => recordStripeEvent(tx, record, null));
    return { paymentId: null, decision: "unknown_payment" };
  }
  const now = new Date();
  let lockTicketType = needsCapacityCheck(payment, now);
  for (;;) {
    const decision = await db.transaction(async (tx) => {
      // Lock order everywhere: ticket type (only when capacity must be re-counted), then payment.
      const available = lockTicketType ? await lockTicketTypeAvailability(tx, payment.ticketTypeId, now) : undefined;
      const locked = await lockPaymentForFulfilment(tx, payment.id);
      if (!locked) throw new Error(`payment ${payment.id} disappeared during fulfilment`);
      if (!lockTicketType && needsCapacityCheck(locked.payment, now)) return "retry" as const;
      const decided = decideFulfilment(locked.payment, session, available, now);
      // A sold-out refund records its event only once Stripe has the refund (see completeSoldOutRefund).
      const soldOut = decided === "sold_out" || decided === "resume_sold_out_refund";
      if (!record || soldOut) {
        await applyFulfilmentDecision(tx, locked, session, decided, now);
        return decided;
      }
      // Event row and effect go out together (pipelined); a redelivery that got here anyway rolls
      // its effect back.
      const [fresh] = await Promise.all([
        recordStripeEvent(tx, record, payment.id),
        applyFulfilmentDecision(tx, locked, session, decided, now),
      ]);
      if (!fresh) throw new DuplicateEvent();
      return decided;
    }).catch((error: unknown) => {
      if (error instanceof DuplicateEvent) return "duplicate_event" as const;
      throw error;
    });
    if (decision === "retry") {
      // The hold lapsed or was closed between the first read and the lock: start again, this
      // time taking the ticket type lock first.
      lockTicketType = true;
      continue;
    }
    if (decision === "sold_out" || decision === "resume_sold_out_refund") await completeSoldOutRefund(payment.id, record);
    return { paymentId: payment.id, decision };
  }
}

/** Our payment for a session: by the stored session id, else by the id the session carries. */
export async function findPaymentOfSession(db: Database, session: Stripe.Checkout.Session): Promise<EventPayment | undefined> {
  const bySession = await findPaymentByCheckoutSession(db, session.id);
  if (bySession) return bySession;
  const id = session.client_reference_id ?? session.metadata?.payment_id;
  if (!isUuid(id)) return undefined;
  const byId = await findPaymentById(db, id);
  // A payment linked to a different session is not this session's payment.
  return byId && (byId.stripeCheckoutSessionId === null || byId.stripeCheckoutSessionId === session.id) ? byId : undefined;
}
