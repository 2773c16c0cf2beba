import "server-only";
import type Stripe from "stripe";
import { getDb, type Database, type Executor } from "@/db/client";
import { findPaymentForFulfilment, lockTicketTypeAvailability } from "@/db/queries/payments";
import { recordStripeEvent, type StripeEventToRecord } from "@/db/queries/stripe-events";
import type { EventPayment } from "@/db/schema";
import { getStripe } from "@/lib/stripe/client";
import { isUuid } from "@/lib/validation";
import { applyFulfilmentDecision, issueTicketsAndReceipt } from "./apply";
import { decideFulfilment, needsCapacityCheck, sessionIsPaid, type FulfilmentDecision } from "./decide";
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
 * Round trips are the cost under load. The common case — a pending payment whose hold still
 * reserves its places — takes two and no explicit lock (fulfilOptimistically). Everything else, and
 * anything that lost a race, is decided under the payment lock, found and locked in one statement;
 * only when its hold no longer reserves the places does a second pass lock the ticket type first.
 */
export async function fulfilSession(session: Stripe.Checkout.Session, record?: StripeEventToRecord): Promise<FulfilResult> {
  const db = await getDb();
  const now = new Date();
  const optimistic = await fulfilOptimistically(db, session, now, record);
  if (optimistic) return optimistic;
  let ticketTypeToLock: string | undefined;
  for (;;) {
    const outcome = await db
      .transaction(async (tx) => {
        // Lock order everywhere: ticket type (only when capacity must be re-counted), then payment.
        const available = ticketTypeToLock ? await lockTicketTypeAvailability(tx, ticketTypeToLock, now) : undefined;
        const locked = await paymentOfSession(tx, session, { lock: true });
        if (!locked) {
          if (record) await recordStripeEvent(tx, record, null);
          return { paymentId: null, decision: "unknown_payment" } as const;
        }
        const { payment } = locked;
        if (ticketTypeToLock !== payment.ticketTypeId && needsCapacityCheck(payment, now)) {
          return { retryWithTicketType: payment.ticketTypeId };
        }
        const decision = decideFulfilment(payment, session, available, now);
        if (decision === "fulfil") {
          // One statement records the event and issues everything, or — for a redelivery — nothing.
          const applied = await issueTicketsAndReceipt(tx, locked, session, now, { record, unlocked: false });
          return { paymentId: payment.id, decision: applied ? decision : "duplicate_event" } as const;
        }
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

/**
 * Without any lock: read the payment and, when it is plainly payable, issue everything with the
 * one statement that re-checks, as it updates the row, what made it payable (see
 * recordPaidFulfilment). Undefined when that did not happen and the locked path must decide.
 */
async function fulfilOptimistically(
  db: Database,
  session: Stripe.Checkout.Session,
  now: Date,
  record: StripeEventToRecord | undefined,
): Promise<FulfilResult | undefined> {
  if (!sessionIsPaid(session)) return undefined;
  const found = await paymentOfSession(db, session, { lock: false });
  if (!found || needsCapacityCheck(found.payment, now)) return undefined;
  if (decideFulfilment(found.payment, session, undefined, now) !== "fulfil") return undefined;
  const applied = await issueTicketsAndReceipt(db, found, session, now, { record, unlocked: true });
  return applied ? { paymentId: found.payment.id, decision: "fulfil" } : undefined;
}

/** Our payment for a session (locked or not): by the stored session id, else by the id the session carries. */
async function paymentOfSession(db: Executor, session: Stripe.Checkout.Session, { lock }: { lock: boolean }) {
  const bySession = await findPaymentForFulfilment(db, { checkoutSessionId: session.id }, { lock });
  if (bySession) return bySession;
  const id = paymentIdCarriedBy(session);
  const byId = id ? await findPaymentForFulfilment(db, { paymentId: id }, { lock }) : undefined;
  return byId && mayBelongTo(byId.payment, session) ? byId : undefined;
}

/** Our payment for a session, without a lock (see paymentOfSession). */
export async function findPaymentOfSession(db: Database, session: Stripe.Checkout.Session): Promise<EventPayment | undefined> {
  return (await paymentOfSession(db, session, { lock: false }))?.payment;
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
