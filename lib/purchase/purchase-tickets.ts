import "server-only";
import Stripe from "stripe";
import { getDb } from "@/db/client";
import { placeHold, type HoldOutcome } from "@/db/queries/holds";
import { attachCheckoutSession, failPaymentBeforeCheckout } from "@/db/queries/payments-purchase";
import { AppError, notFound } from "@/lib/errors";
import { holdExpiresAt, sessionExpiresAt, createCheckoutSession, type CheckoutInput } from "./checkout-session";
import { replayPurchase } from "./replay";
import { isUniqueViolation } from "@/db/errors";
import { isUuid } from "@/lib/validation";

/** A buyer may keep this many checkouts open per event; beyond it they are sent back to one of them. */
export const maxOpenCheckouts = 2;

// Quantities are Postgres integers; no ticket type's per-order maximum can be larger than this.
const largestQuantity = 2_147_483_647;

export interface PurchaseInput {
  user: { id: string; email: string };
  eventId: string;
  ticket: { id: string } | { name: string };
  quantity: number;
  /** The same key from the same buyer yields the same payment and session (double submits, retries). */
  requestKey?: string;
  now?: Date;
}

export interface PurchaseResult {
  paymentId: string;
  checkoutSessionId: string;
  checkoutUrl: string;
  expiresAt: string;
  status: string;
}

/**
 * Holds tickets and opens a Stripe Checkout Session for them. The hold is one short transaction
 * (lock the ticket type, count what is left, insert the pending payment); Stripe is called only
 * after it commits, so no lock is ever held across a network call.
 */
export async function purchaseTickets(input: PurchaseInput, retried = false): Promise<PurchaseResult> {
  const now = input.now ?? new Date();
  if (!isUuid(input.eventId)) throw notFound("The event");
  if ("id" in input.ticket && !isUuid(input.ticket.id)) throw unknownTicketType(input.ticket);
  if (!Number.isInteger(input.quantity) || input.quantity < 1) {
    throw new AppError("invalid_quantity", "Choose at least one ticket.");
  }
  if (input.quantity > largestQuantity) {
    throw new AppError("invalid_quantity", "That is more tickets than one order can hold. Choose fewer.");
  }
  const db = await getDb();
  let outcome: HoldOutcome;
  try {
    outcome = await placeHold(db, {
      eventId: input.eventId,
      ...("id" in input.ticket ? { ticketTypeId: input.ticket.id } : { ticketTypeName: input.ticket.name.trim() }),
      userId: input.user.id,
      quantity: input.quantity,
      requestKey: input.requestKey ?? null,
      now,
      holdExpiresAt: holdExpiresAt(now),
      maxOpenCheckouts,
    });
  } catch (error) {
    // The same key raced in from another request for another ticket type and won; once it has
    // committed, running again finds its payment and compares the two requests.
    if (input.requestKey && !retried && isUniqueViolation(error)) return purchaseTickets(input, true);
    throw error;
  }

  if (!outcome.eventFound || outcome.eventStatus !== "published") throw notFound("The event");
  const type = outcome.ticketType;
  if (!type) throw unknownTicketType(input.ticket);
  if (outcome.existing) {
    if (outcome.existing.ticketTypeId !== type.id || outcome.existing.quantity !== input.quantity) {
      throw new AppError(
        "idempotency_key_reused",
        "This request key was already used for a different purchase. Send a new key for a new purchase.",
      );
    }
    return replayPurchase(db, outcome.existing.id);
  }
  if (!outcome.created) throw whyNoHold(outcome, type, input.quantity, now);

  const checkout: CheckoutInput = {
    paymentId: outcome.created.id,
    organizationId: type.organizationId,
    eventId: input.eventId,
    eventTitle: outcome.eventTitle ?? "",
    ticketTypeName: type.name,
    unitAmount: type.price,
    currency: type.currency,
    quantity: input.quantity,
    email: input.user.email,
    createdAt: outcome.created.createdAt,
  };
  let session: Stripe.Checkout.Session;
  try {
    session = await createCheckoutSession(checkout);
    if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
  } catch (error) {
    await failPaymentBeforeCheckout(db, checkout.paymentId, describeStripeError(error));
    throw providerUnavailable(error);
  }
  await attachCheckoutSession(db, checkout.paymentId, session.id, session.url);
  return {
    paymentId: checkout.paymentId,
    checkoutSessionId: session.id,
    checkoutUrl: session.url,
    expiresAt: sessionExpiresAt(checkout.createdAt).toISOString(),
    status: "pending",
  };
}

function unknownTicketType(ticket: PurchaseInput["ticket"]) {
  const label = "name" in ticket ? `"${ticket.name.trim().slice(0, 100)}"` : "with that id";
  return new AppError("unknown_ticket_type", `This event has no ticket type ${label}.`);
}

/** The hold was refused: say why, in the order a buyer can act on. */
function whyNoHold(outcome: HoldOutcome, type: NonNullable<HoldOutcome["ticketType"]>, quantity: number, now: Date) {
  if (quantity > type.maxPerOrder) {
    return new AppError("invalid_quantity", `You can buy at most ${type.maxPerOrder} ${type.name} tickets per order.`, {
      maxPerOrder: type.maxPerOrder,
    });
  }
  if (type.salesStartAt && type.salesStartAt > now) {
    return new AppError("sales_not_open", `${type.name} tickets are not on sale yet.`, {
      salesStartAt: type.salesStartAt.toISOString(),
    });
  }
  if ((type.salesEndAt && type.salesEndAt <= now) || (outcome.eventEndsAt && outcome.eventEndsAt <= now)) {
    return new AppError("sales_closed", `Sales for ${type.name} tickets have ended.`);
  }
  if (outcome.openCheckouts >= maxOpenCheckouts) {
    return new AppError(
      "too_many_open_checkouts",
      `You already have ${outcome.openCheckouts} checkouts open for this event. Finish or cancel one before starting another.`,
      { resumeUrl: outcome.resumeUrl },
    );
  }
  if (type.available <= 0) {
    return new AppError("sold_out", `${type.name} tickets are sold out.`, { available: 0 });
  }
  return new AppError(
    "not_enough_tickets",
    `Only ${type.available} ${type.name} ${type.available === 1 ? "ticket is" : "tickets are"} left. Choose fewer.`,
    { available: type.available },
  );
}

export function describeStripeError(error: unknown): string {
  if (error instanceof Stripe.errors.StripeError) return `stripe ${error.type}${error.statusCode ? ` ${error.statusCode}` : ""}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export function providerUnavailable(cause: unknown) {
  console.error(`[boxoffice] creating the Checkout Session failed: ${describeStripeError(cause)}`);
  return new AppError(
    "payment_provider_unavailable",
    "The payment provider is unavailable right now, so nothing was charged and your tickets were released. Please try again.",
    undefined,
    { cause },
  );
}
