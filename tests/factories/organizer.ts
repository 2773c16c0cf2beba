import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { getDb } from "@/db/client";
import { runStatement } from "@/db/raw";
import {
  eventPaymentReceipts,
  eventPayments,
  tickets,
  type Event,
  type Organization,
  type ReceiptSnapshot,
  type Ticket,
  type TicketType,
  type User,
} from "@/db/schema";
import { getEnv } from "@/lib/env";
import { receiptNumberFor } from "@/lib/receipts/number";
import { getStripe } from "@/lib/stripe/client";
import { createSellingEvent, createUser } from "./index";
import { setRequestCookies } from "./next-request";
import { payOnEmulator } from "./payments";

// One payment row shape for every test file: the organizer tests reload through the payments factory.
export { reloadPayment } from "./payments";

export interface PaidPaymentOptions {
  /** An existing selling event to buy from; a new organization with an owner otherwise. */
  seller?: { organization: Organization; event: Event; ticketType: TicketType };
  buyer?: User;
  quantity?: number;
  unitAmount?: number;
  currency?: string;
  paidAt?: Date;
  /**
   * true (default): a real Checkout Session on the shared emulator, paid with 4242 through its
   * control API, so Stripe holds a PaymentIntent that can really be refunded. false: rows only,
   * with a made-up PaymentIntent id (for listings and reports that never call Stripe).
   */
  viaStripe?: boolean;
}

/** Creates a Checkout Session for rows the factory inserts itself, pays it with 4242 on the shared emulator and returns its PaymentIntent id. */
async function payNewSession(input: { paymentId: string; organizationId: string; amount: number; quantity: number; currency: string; name: string }) {
  const stripe = getStripe();
  const metadata = { payment_id: input.paymentId, organization_id: input.organizationId };
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [
      { price_data: { currency: input.currency, unit_amount: input.amount / input.quantity, product_data: { name: input.name } }, quantity: input.quantity },
    ],
    success_url: "http://localhost:3999/checkout/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://localhost:3999/",
    client_reference_id: input.paymentId,
    metadata,
    payment_intent_data: { metadata },
    expires_at: Math.floor(Date.now() / 1000) + 3600,
  });
  const paid = await payOnEmulator(session.id);
  if (paid.status >= 300) throw new Error(`emulator refused to pay ${session.id}: ${paid.status} ${JSON.stringify(paid.body)}`);
  const completed = await stripe.checkout.sessions.retrieve(session.id);
  const paymentIntent = typeof completed.payment_intent === "string" ? completed.payment_intent : completed.payment_intent?.id;
  if (!paymentIntent) throw new Error(`session ${session.id} has no payment intent after paying`);
  return { checkoutSessionId: session.id, paymentIntentId: paymentIntent };
}

/**
 * A payment as fulfilment leaves it: succeeded, with its tickets and its receipt snapshot. The rows
 * are inserted directly (fulfilment is another module's job); the money is real on the emulator.
 */
export async function createPaidPayment(options: PaidPaymentOptions = {}) {
  const currency = options.currency ?? options.seller?.event.currency ?? "eur";
  const seller =
    options.seller ??
    (await createSellingEvent({ event: { currency }, ticketType: { currency, price: options.unitAmount ?? 2500 } }));
  const { organization, event, ticketType } = seller;
  const owner = "owner" in seller ? (seller.owner as User) : undefined;
  const buyer = options.buyer ?? (await createUser({ name: `Buyer ${randomUUID().slice(0, 6)}` }));
  const quantity = options.quantity ?? 2;
  const unitAmount = options.unitAmount ?? ticketType.price;
  const amountTotal = unitAmount * quantity;
  const paidAt = options.paidAt ?? new Date();
  // Known before the row exists (the Checkout Session carries it), so drawn the way the database's
  // own default draws one: no other payment's id starts with the same 8 characters (0009).
  const [drawn] = await runStatement(await getDb(), `select new_event_payment_id() as id`, []);
  const id = String(drawn!.id);
  const stripe =
    options.viaStripe === false
      ? { checkoutSessionId: `cs_test_${randomUUID()}`, paymentIntentId: `pi_test_${randomUUID().replaceAll("-", "")}` }
      : await payNewSession({ paymentId: id, organizationId: organization.id, amount: amountTotal, quantity, currency, name: ticketType.name });

  const db = await getDb();
  return db.transaction(async (tx) => {
    const [payment] = await tx
      .insert(eventPayments)
      .values({
        id,
        organizationId: organization.id,
        eventId: event.id,
        userId: buyer.id,
        ticketTypeId: ticketType.id,
        quantity,
        unitAmount,
        amountTotal,
        currency,
        status: "succeeded",
        stripeCheckoutSessionId: stripe.checkoutSessionId,
        stripePaymentIntentId: stripe.paymentIntentId,
        holdExpiresAt: new Date(paidAt.getTime() + 35 * 60_000),
        paidAt,
        createdAt: paidAt,
      })
      .returning();
    const issued = await tx
      .insert(tickets)
      .values(
        Array.from({ length: quantity }, () => ({
          paymentId: id,
          eventId: event.id,
          ticketTypeId: ticketType.id,
          organizationId: organization.id,
          ownerUserId: buyer.id,
          code: randomBytes(16).toString("base64url"),
          issuedAt: paidAt,
        })),
      )
      .returning();
    const receiptNumber = receiptNumberFor(id, paidAt);
    const snapshot: ReceiptSnapshot = {
      receiptNumber,
      paymentId: id,
      organization: { id: organization.id, name: organization.name },
      event: { id: event.id, title: event.title, startsAt: event.startsAt.toISOString(), venue: event.venue, timeZone: event.timeZone },
      buyer: { id: buyer.id, email: buyer.email, name: buyer.name },
      items: [{ ticketType: ticketType.name, ticketTypeId: ticketType.id, quantity, unitAmount, amount: amountTotal }],
      amountTotal,
      currency,
      paymentMethod: { type: "card", brand: "visa", last4: "4242" },
      stripe: { checkoutSessionId: stripe.checkoutSessionId, paymentIntentId: stripe.paymentIntentId },
      paidAt: paidAt.toISOString(),
    };
    const [receipt] = await tx
      .insert(eventPaymentReceipts)
      .values({ paymentId: id, organizationId: organization.id, eventId: event.id, userId: buyer.id, receiptNumber, snapshot, issuedAt: paidAt })
      .returning();
    return { organization, owner, event, ticketType, buyer, payment: payment!, tickets: issued as Ticket[], receipt: receipt! };
  });
}

export async function reloadTickets(paymentId: string): Promise<Ticket[]> {
  return (await getDb()).select().from(tickets).where(eq(tickets.paymentId, paymentId)).orderBy(tickets.issuedAt, tickets.id);
}

// --- Signed-in requests without a browser -------------------------------------------------------
// Route handlers, pages and actions read the session through next/headers. Test files replace that
// module with `nextHeadersMock` from ./next-request (vi.mock), and `actAs` puts a real session
// cookie — encoded with the app's own Auth.js codec and secret, exactly what sign-in sets — into it.

const sessionCookieName = "authjs.session-token";

export async function actAs(user: Pick<User, "id" | "email" | "name"> | undefined, options: { organizationId?: string } = {}) {
  if (!user) return setRequestCookies(undefined, options.organizationId);
  // Imported here, not at the top: the auth modules import next/headers, whose stand-in is this folder's.
  const { buildAuthConfig } = await import("@/lib/auth/config");
  const config = await Promise.resolve(buildAuthConfig(getEnv(), await getDb()));
  const codec = config.jwt?.encode ?? encode;
  const token = await codec({
    token: { sub: user.id, email: user.email, name: user.name },
    secret: getEnv().authSecret,
    salt: sessionCookieName,
    maxAge: 3600,
  });
  setRequestCookies(`${sessionCookieName}=${token}`, options.organizationId);
}

/** Calls a route handler the way Next does. */
export function jsonRequest(url: string, body: unknown, method = "POST", headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost:3999${url}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
