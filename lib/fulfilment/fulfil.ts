import "server-only";
import type Stripe from "stripe";
import { getDb, type Database, type Transaction } from "@/db/client";
import {
  findPaymentByCheckoutSession,
  findPaymentById,
  lockPaymentForFulfilment,
  lockTicketTypeAvailability,
} from "@/db/queries/payments";
import { recordStripeEvent, type StripeEventToRecord } from "@/db/queries/stripe-events";
import type { EventPayment } from "@/db/schema";
import { getStripe } from "@/lib/stripe/client";
import { isUuid } from "@/lib/validation";
import { applyFulfilmentDecision } from "./apply";
import { decideFulfilment, needsCapacityCheck, type FulfilmentDecision } from "./decide";
import { completeSoldOutRefund } from "./sold-out-refund";

export interface FulfilResult {
  paymentId: string | null;
  decision: FulfilmentDecision | "unknown_payment" | "duplicate_event";
}

/** Thrown inside the transaction to roll back the effect of an event that was already recorded. */
class DuplicateEvent extends Error {
  constructor(readonly paymentId: string) {
    super("event already recorded");
  }
}

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
 *
 * Round trips are the cost under load, so the payment is found and locked in one statement; only
 * when its hold no longer reserves the places does a second pass lock the ticket type first.
 */
export async function fulfilSession(session: Stripe.Checkout.Session, record?: StripeEventToRecord): Promise<FulfilResult> {
  const db = await getDb();
  const now = new Date();
  let ticketTypeToLock: string | undefined;
  for (;;) {
    const outcome = await db
      .transaction(async (tx) => {
        // Lock order everywhere: ticket type (only when capacity must be re-counted), then payment.
        const available = ticketTypeToLock ? await lockTicketTypeAvailability(tx, ticketTypeToLock, now) : undefined;
        const locked = await lockPaymentOfSession(tx, session);
        if (!locked) {
          if (record) await recordStripeEvent(tx, record, null);
          return { paymentId: null, decision: "unknown_payment" } as const;
        }
        const { payment } = locked;
        if (ticketTypeToLock !== payment.ticketTypeId && needsCapacityCheck(payment, now)) {
          return { retryWithTicketType: payment.ticketTypeId };
        }
        const decision = decideFulfilment(payment, session, available, now);
        // A sold-out refund records its event only once Stripe has the refund (see completeSoldOutRefund).
        const soldOut = decision === "sold_out" || decision === "resume_sold_out_refund";
        if (!record || soldOut) {
          await applyFulfilmentDecision(tx, locked, session, decision, now);
          return { paymentId: payment.id, decision };
        }
        // Event row and effect go out together (pipelined); a redelivery that got here anyway rolls
        // its effect back.
        const [fresh] = await Promise.all([
          recordStripeEvent(tx, record, payment.id),
          applyFulfilmentDecision(tx, locked, session, decision, now),
        ]);
        if (!fresh) throw new DuplicateEvent(payment.id);
        return { paymentId: payment.id, decision };
      })
      .catch((error: unknown) => {
        if (error instanceof DuplicateEvent) return { paymentId: error.paymentId, decision: "duplicate_event" } as const;
        throw error;
      });
    if ("retryWithTicketType" in outcome) {
      // The hold lapsed or was closed: start again, this time taking the ticket type lock first.
      ticketTypeToLock = outcome.retryWithTicketType;
      continue;
    }
    if (outcome.paymentId && (outcome.decision === "sold_out" || outcome.decision === "resume_sold_out_refund")) {
      await completeSoldOutRefund(outcome.paymentId, record);
    }
    return outcome;
  }
}

/** Locks our payment for a session: by the stored session id, else by the id the session carries. */
async function lockPaymentOfSession(tx: Transaction, session: Stripe.Checkout.Session) {
  const bySession = await lockPaymentForFulfilment(tx, { checkoutSessionId: session.id });
  if (bySession) return bySession;
  const id = paymentIdCarriedBy(session);
  const byId = id ? await lockPaymentForFulfilment(tx, { paymentId: id }) : undefined;
  return byId && mayBelongTo(byId.payment, session) ? byId : undefined;
}

/** Our payment for a session: by the stored session id, else by the id the session carries. */
export async function findPaymentOfSession(db: Database, session: Stripe.Checkout.Session): Promise<EventPayment | undefined> {
  const bySession = await findPaymentByCheckoutSession(db, session.id);
  if (bySession) return bySession;
  const id = paymentIdCarriedBy(session);
  const byId = id ? await findPaymentById(db, id) : undefined;
  return byId && mayBelongTo(byId, session) ? byId : undefined;
}

/** The payment id the purchase service put on the session, if it is a well-formed one. */
function paymentIdCarriedBy(session: Stripe.Checkout.Session): string | undefined {
  const id = session.client_reference_id ?? session.metadata?.payment_id;
  return isUuid(id) ? id : undefined;
}

/** A payment linked to a different session is not this session's payment. */
function mayBelongTo(payment: EventPayment, session: Stripe.Checkout.Session): boolean {
  return (payment.stripeCheckoutSessionId ?? session.id) === session.id;
}
