import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { eventPayments } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { cancelCheckout } from "@/lib/purchase/cancel-checkout";
import { purchaseTickets, type PurchaseInput } from "@/lib/purchase/purchase-tickets";
import { createSellingEvent, createTicketType, createUser } from "../factories";
import { heldQuantity } from "./support/purchase";
import { testStripe, withBrokenStripe } from "./support/stripe";
import { refusal } from "./support/app-error";

async function buyer() {
  const user = await createUser();
  return { id: user.id, email: user.email };
}

async function paymentsOf(ticketTypeId: string) {
  return (await getDb()).select().from(eventPayments).where(eq(eventPayments.ticketTypeId, ticketTypeId));
}

describe("purchaseTickets", () => {
  it("holds the tickets and opens a Checkout Session built from the database", async () => {
    const { organization, event, ticketType } = await createSellingEvent({ ticketType: { name: "Balcony", price: 4500 } });
    const user = await buyer();
    const result = await purchaseTickets({ user, eventId: event.id, ticket: { name: "balcony" }, quantity: 2 });

    expect(result.checkoutSessionId).toMatch(/^cs_test_/);
    expect(result.checkoutUrl).toMatch(/^http/);
    const [payment] = await paymentsOf(ticketType.id);
    expect(payment).toMatchObject({
      id: result.paymentId,
      status: "pending",
      quantity: 2,
      unitAmount: 4500,
      amountTotal: 9000,
      currency: "eur",
      stripeCheckoutSessionId: result.checkoutSessionId,
      stripeCheckoutUrl: result.checkoutUrl,
    });
    // The hold outlasts the session so a payment Stripe accepts is always inside its hold.
    expect(payment!.holdExpiresAt.getTime()).toBeGreaterThan(new Date(result.expiresAt).getTime());

    const stripe = testStripe();
    const session = await stripe.checkout.sessions.retrieve(result.checkoutSessionId);
    expect(session).toMatchObject({
      mode: "payment",
      amount_total: 9000,
      currency: "eur",
      customer_email: user.email,
      client_reference_id: result.paymentId,
      metadata: { payment_id: result.paymentId, organization_id: organization.id, event_id: event.id },
      success_url: "http://localhost:3999/checkout/success?session_id={CHECKOUT_SESSION_ID}",
    });
    expect(session.expires_at).toBe(Math.floor(new Date(result.expiresAt).getTime() / 1000));
    expect(session.expires_at - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(30 * 60);
    const items = await stripe.checkout.sessions.listLineItems(result.checkoutSessionId);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ quantity: 2, amount_total: 9000, currency: "eur", description: `${event.title} — Balcony` });
  });

  it("charges JPY in whole yen (no minor unit)", async () => {
    const { event, ticketType } = await createSellingEvent({ event: { currency: "jpy" }, ticketType: { price: 8000, currency: "jpy" } });
    const result = await purchaseTickets({ user: await buyer(), eventId: event.id, ticket: { id: ticketType.id }, quantity: 3 });
    const session = await testStripe().checkout.sessions.retrieve(result.checkoutSessionId);
    expect(session.currency).toBe("jpy");
    expect(session.amount_total).toBe(24000);
  });

  it("refuses unknown ticket types, unknown or unpublished events and bad quantities, changing nothing", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { maxPerOrder: 4 } });
    const draft = await createSellingEvent({ event: { status: "draft" } });
    const cancelled = await createSellingEvent({ event: { status: "cancelled" } });
    const user = await buyer();
    const base: PurchaseInput = { user, eventId: event.id, ticket: { id: ticketType.id }, quantity: 1 };

    expect((await refusal(purchaseTickets({ ...base, ticket: { name: "Nope" } }))).code).toBe("unknown_ticket_type");
    expect((await refusal(purchaseTickets({ ...base, ticket: { id: "not-a-uuid" } }))).code).toBe("unknown_ticket_type");
    expect((await refusal(purchaseTickets({ ...base, ticket: { id: draft.ticketType.id } }))).code).toBe("unknown_ticket_type");
    expect((await refusal(purchaseTickets({ ...base, eventId: "00000000-0000-4000-8000-000000000000" }))).status).toBe(404);
    expect((await refusal(purchaseTickets({ ...base, eventId: "nope" }))).status).toBe(404);
    expect((await refusal(purchaseTickets({ ...base, eventId: draft.event.id, ticket: { id: draft.ticketType.id } }))).status).toBe(404);
    expect((await refusal(purchaseTickets({ ...base, eventId: cancelled.event.id, ticket: { id: cancelled.ticketType.id } }))).status).toBe(404);
    const tooMany = await refusal(purchaseTickets({ ...base, quantity: 5 }));
    expect([tooMany.code, tooMany.status]).toEqual(["invalid_quantity", 400]);
    expect((await refusal(purchaseTickets({ ...base, quantity: 0 }))).code).toBe("invalid_quantity");
    expect(await paymentsOf(ticketType.id)).toEqual([]);
  });

  it("answers sold out, not enough left and sales not open with 409s", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { capacity: 3 } });
    const soon = await createTicketType(event, { salesStartAt: new Date(Date.now() + 3600_000) });
    const ended = await createTicketType(event, { salesEndAt: new Date(Date.now() - 1000) });
    const user = await buyer();
    const notEnough = await refusal(purchaseTickets({ user, eventId: event.id, ticket: { id: ticketType.id }, quantity: 4 }));
    expect([notEnough.code, notEnough.status, notEnough.details?.available]).toEqual(["not_enough_tickets", 409, 3]);
    expect(notEnough.message).toContain("Only 3");
    await purchaseTickets({ user: await buyer(), eventId: event.id, ticket: { id: ticketType.id }, quantity: 3 });
    expect((await refusal(purchaseTickets({ user, eventId: event.id, ticket: { id: ticketType.id }, quantity: 1 }))).code).toBe("sold_out");
    expect((await refusal(purchaseTickets({ user, eventId: event.id, ticket: { id: soon.id }, quantity: 1 }))).code).toBe("sales_not_open");
    expect((await refusal(purchaseTickets({ user, eventId: event.id, ticket: { id: ended.id }, quantity: 1 }))).code).toBe("sales_closed");
  });

  it("does not count expired holds (the clock moves, nothing sleeps)", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { capacity: 2 } });
    const now = new Date();
    await purchaseTickets({ user: await buyer(), eventId: event.id, ticket: { id: ticketType.id }, quantity: 2, now });
    const late = await buyer();
    expect((await refusal(purchaseTickets({ user: late, eventId: event.id, ticket: { id: ticketType.id }, quantity: 2, now }))).code).toBe("sold_out");
    const later = new Date(now.getTime() + 36 * 60_000);
    const result = await purchaseTickets({ user: late, eventId: event.id, ticket: { id: ticketType.id }, quantity: 2, now: later });
    expect(result.paymentId).toBeTruthy();
  });

  it.each([
    ["unreachable", 0],
    ["answering 500", 500],
    ["refusing with 400", 400],
  ])("fails the payment and releases the hold when Stripe is %s", async (_label, status) => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { capacity: 5 } });
    const user = await buyer();
    const error = await withBrokenStripe(status, () =>
      refusal(purchaseTickets({ user, eventId: event.id, ticket: { id: ticketType.id }, quantity: 5, requestKey: "form:retry" })),
    );
    expect([error.code, error.status]).toEqual(["payment_provider_unavailable", 502]);
    const [payment] = await paymentsOf(ticketType.id);
    expect(payment?.status).toBe("failed");
    expect(payment?.failureReason).toBeTruthy();
    expect(await heldQuantity(ticketType.id)).toBe(0);
    // The tickets are on sale again at once, and the buyer's retry of the same form goes through.
    await purchaseTickets({ user, eventId: event.id, ticket: { id: ticketType.id }, quantity: 5, requestKey: "form:retry" });
  });

  it("turns a double submit into one payment and one session", async () => {
    const { event, ticketType } = await createSellingEvent();
    const user = await buyer();
    const input: PurchaseInput = { user, eventId: event.id, ticket: { id: ticketType.id }, quantity: 2, requestKey: "form:token-1" };
    const [a, b] = await Promise.all([purchaseTickets(input), purchaseTickets(input)]);
    const c = await purchaseTickets(input);
    expect(b.paymentId).toBe(a.paymentId);
    expect(c).toEqual(a);
    expect(b.checkoutSessionId).toBe(a.checkoutSessionId);
    expect(await paymentsOf(ticketType.id)).toHaveLength(1);
    const reused = await refusal(purchaseTickets({ ...input, quantity: 3 }));
    expect([reused.code, reused.status]).toEqual(["idempotency_key_reused", 422]);
  });

  it("a retry that finds no stored session yet asks Stripe with the same parameters and gets the same session", async () => {
    const { event, ticketType } = await createSellingEvent();
    const user = await buyer();
    const input: PurchaseInput = { user, eventId: event.id, ticket: { id: ticketType.id }, quantity: 2, requestKey: "api:retry-1" };
    const first = await purchaseTickets(input);
    // As if the first request were still between Stripe's answer and storing the session.
    await (await getDb())
      .update(eventPayments)
      .set({ stripeCheckoutSessionId: null, stripeCheckoutUrl: null })
      .where(eq(eventPayments.id, first.paymentId));
    const retry = await purchaseTickets(input);
    expect(retry).toEqual(first);
    const [payment] = await paymentsOf(ticketType.id);
    expect(payment!.stripeCheckoutSessionId).toBe(first.checkoutSessionId);
  });

  it("offers the open checkout instead of a third hold for the same event", async () => {
    const { event, ticketType } = await createSellingEvent();
    const user = await buyer();
    const base = { user, eventId: event.id, ticket: { id: ticketType.id } };
    await purchaseTickets({ ...base, quantity: 1 });
    const second = await purchaseTickets({ ...base, quantity: 2 });
    const third = await refusal(purchaseTickets({ ...base, quantity: 3 }));
    expect([third.code, third.status]).toEqual(["too_many_open_checkouts", 409]);
    expect(third.details?.resumeUrl).toBe(second.checkoutUrl);
  });

  it("sells exactly what is left to 200 simultaneous buyers: 20 holds, 180 refusals, no 5xx", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { capacity: 20 } });
    const users = await Promise.all(Array.from({ length: 200 }, () => buyer()));
    const results = await Promise.allSettled(
      users.map((user) => purchaseTickets({ user, eventId: event.id, ticket: { id: ticketType.id }, quantity: 1 })),
    );
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as AppError] : []));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    expect(refused.map((e) => e.status ?? 500).filter((s) => s !== 409)).toEqual([]);
    expect(await heldQuantity(ticketType.id)).toBe(20);
  }, 120_000);
});

describe("cancelCheckout", () => {
  it("expires the session, releases the hold and returns the buyer's choice", async () => {
    const { event, ticketType } = await createSellingEvent({ ticketType: { capacity: 2 } });
    const user = await buyer();
    const result = await purchaseTickets({ user, eventId: event.id, ticket: { id: ticketType.id }, quantity: 2 });
    expect(await cancelCheckout({ userId: (await buyer()).id, sessionId: result.checkoutSessionId })).toBeUndefined();

    const cancelled = await cancelCheckout({ userId: user.id, sessionId: result.checkoutSessionId });
    expect(cancelled).toEqual({ eventSlug: event.slug, ticketTypeId: ticketType.id, quantity: 2, released: true });
    expect(await heldQuantity(ticketType.id)).toBe(0);
    expect((await testStripe().checkout.sessions.retrieve(result.checkoutSessionId)).status).toBe("expired");
    // Cancelling again (a reload) changes nothing and still knows where to go back to.
    expect(await cancelCheckout({ userId: user.id, paymentId: result.paymentId })).toMatchObject({ released: false });
  });
});
