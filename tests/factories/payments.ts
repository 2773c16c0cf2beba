import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { inject } from "vitest";
import { getDb } from "@/db/client";
import { eventPaymentReceipts, eventPayments, events, organizations, refunds, ticketTypes, tickets, type EventPayment, type User } from "@/db/schema";
import { fulfil } from "@/lib/fulfilment/fulfil";
import { getStripe } from "@/lib/stripe/client";
import { createSellingEvent, createUser } from "./index";
import { insertPayment } from "./payment-row";
import { signedStripeEvent } from "./stripe-event";

export interface PendingPaymentOptions {
  quantity?: number;
  buyer?: User;
  /** An existing event/ticket type to buy from (defaults to a fresh selling event). */
  on?: { event: typeof events.$inferSelect; ticketType: typeof ticketTypes.$inferSelect };
  ticketType?: Partial<typeof ticketTypes.$inferInsert>;
  event?: Partial<typeof events.$inferInsert>;
  payment?: Partial<typeof eventPayments.$inferInsert>;
}

/**
 * A pending payment (a live hold) with a real Checkout Session on the shared emulator, carrying the
 * links the purchase service sets: `client_reference_id` and `metadata.payment_id` /
 * `organization_id` / `event_id` on the session and on its PaymentIntent.
 */
export async function createPendingPayment(options: PendingPaymentOptions = {}) {
  const base = options.on ?? (await createSellingEvent({ event: options.event, ticketType: options.ticketType }));
  const { event, ticketType } = base;
  const buyer = options.buyer ?? (await createUser({ name: "Buyer" }));
  const quantity = options.quantity ?? 2;
  const inserted = await insertPayment(ticketType, buyer.id, {
    quantity,
    holdExpiresAt: new Date(Date.now() + 40 * 60_000),
    ...options.payment,
  });
  return openCheckoutSession(inserted, { event, ticketType, buyer });
}

/**
 * A real Checkout Session on the shared emulator for a pending payment row that already exists
 * (made by the factory above, or by place_hold as the purchase service makes it), stored on the row.
 */
export async function openCheckoutSession(
  inserted: EventPayment,
  { event, ticketType, buyer }: { event: typeof events.$inferSelect; ticketType: typeof ticketTypes.$inferSelect; buyer: User },
) {
  const db = await getDb();
  const quantity = inserted.quantity;
  const metadata = { payment_id: inserted.id, organization_id: event.organizationId, event_id: event.id };
  const session = await getStripe().checkout.sessions.create({
    mode: "payment",
    line_items: [
      {
        price_data: {
          currency: ticketType.currency,
          unit_amount: ticketType.price,
          product_data: { name: `${event.title} — ${ticketType.name}` },
        },
        quantity,
      },
    ],
    success_url: "http://localhost:3999/checkout/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://localhost:3999/checkout/cancel",
    // Generous, because the shared emulator's clock may have been moved a few minutes by other files.
    expires_at: Math.floor(Date.now() / 1000) + 2 * 3600,
    customer_email: buyer.email,
    client_reference_id: inserted.id,
    metadata,
    payment_intent_data: { metadata },
  });
  const [payment] = await db
    .update(eventPayments)
    .set({ stripeCheckoutSessionId: session.id, stripeCheckoutUrl: session.url })
    .where(eq(eventPayments.id, inserted.id))
    .returning();
  const [organization] = await db.select().from(organizations).where(eq(organizations.id, event.organizationId));
  return { organization: organization!, event, ticketType, buyer, payment: payment!, session };
}

/** Pays a session on the emulator as the hosted page would (card or bank debit). */
export async function payOnEmulator(
  checkoutSessionId: string,
  method: { card: string } | { iban: string } = { card: "4242424242424242" },
) {
  const response = await fetch(`${inject("stripeApiUrl")}/_emulator/checkout/sessions/${checkoutSessionId}/pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(method),
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body };
}

/** A pending payment paid with 4242 and fulfilled: succeeded, tickets and receipt. */
export async function createPaidPayment(options: PendingPaymentOptions = {}) {
  const created = await createPendingPayment(options);
  const paid = await payOnEmulator(created.session.id);
  if (paid.status >= 300) throw new Error(`emulator refused to pay: ${JSON.stringify(paid.body)}`);
  await fulfil(created.session.id);
  return { ...created, payment: await reloadPayment(created.payment.id) };
}

export async function reloadPayment(paymentId: string): Promise<EventPayment> {
  const [payment] = await (await getDb()).select().from(eventPayments).where(eq(eventPayments.id, paymentId));
  return payment!;
}

/** A Stripe event as Stripe would send it, with the body signed by the test webhook secret. */
export function signEvent(
  type: string,
  object: object,
  options: { id?: string; secret?: string; timestamp?: number } = {},
) {
  return signedStripeEvent(type, object, { ...options, secret: options.secret ?? inject("stripeWebhookSecret") });
}

/** Delivers a body to the webhook route handler exactly as an HTTP request would arrive. */
export async function deliverWebhook(payload: string, header: string | null, extraHeaders: Record<string, string> = {}) {
  const { POST } = await import("@/app/api/webhooks/stripe/events/route");
  const headers = new Headers({ "content-type": "application/json", ...extraHeaders });
  if (header !== null) headers.set("stripe-signature", header);
  const response = await POST(new Request("http://localhost:3999/api/webhooks/stripe/events", { method: "POST", headers, body: payload }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Signs and delivers one event; the session (or other object) is read fresh from the emulator. */
export async function sendEvent(type: string, object: object, options: { id?: string } = {}) {
  const { payload, header, event } = signEvent(type, object, options);
  return { ...(await deliverWebhook(payload, header)), eventId: event.id };
}

/** Everything fulfilment and events decide about one payment, comparable across delivery orders. */
export async function paymentState(paymentId: string) {
  const db = await getDb();
  const payment = await reloadPayment(paymentId);
  const ticketRows = await db.select().from(tickets).where(eq(tickets.paymentId, paymentId));
  const receiptRows = await db.select().from(eventPaymentReceipts).where(eq(eventPaymentReceipts.paymentId, paymentId));
  const refundRows = await db.select().from(refunds).where(eq(refunds.paymentId, paymentId));
  return {
    status: payment.status,
    amountRefunded: payment.amountRefunded,
    paid: payment.paidAt !== null,
    processing: payment.processingAt !== null,
    flagged: payment.flaggedAt !== null,
    disputed: payment.disputedAt !== null,
    disputeStatus: payment.disputeStatus,
    failureReason: payment.failureReason,
    tickets: ticketRows.map((t) => t.status).sort(),
    ticketCodes: new Set(ticketRows.map((t) => t.code)).size,
    receipts: receiptRows.map((r) => r.receiptNumber),
    refunds: refundRows.map((r) => `${r.amount}:${r.status}:${r.stripeRefundId ?? "-"}`).sort(),
  };
}

/** Calls the emulator's control API (`/_emulator/...`). */
export async function emulatorControl(path: string, body: object = {}) {
  const response = await fetch(`${inject("stripeApiUrl")}/_emulator/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`emulator ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * The event the emulator created for an object (newest first), e.g. the `charge.dispute.created`
 * of one charge — so tests deliver exactly what Stripe would, signed with the test secret.
 */
export async function findEmulatorEvent(type: string, matches: (object: Record<string, unknown>) => boolean): Promise<Stripe.Event> {
  for await (const event of getStripe().events.list({ type, limit: 100 })) {
    if (matches(event.data.object as unknown as Record<string, unknown>)) return event;
  }
  throw new Error(`the emulator has no ${type} event matching`);
}

/** Re-signs an existing event (as Stripe would on each delivery) and delivers it. */
export async function redeliver(event: Stripe.Event) {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: inject("stripeWebhookSecret") });
  return deliverWebhook(payload, header);
}

export async function retrieveSession(sessionId: string) {
  return getStripe().checkout.sessions.retrieve(sessionId);
}
