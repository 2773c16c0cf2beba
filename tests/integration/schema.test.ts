import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { eventPaymentReceipts, eventPayments, events, organizations, refunds, ticketTypes, tickets, users } from "@/db/schema";
import { createSellingEvent, createUser, createTicketType } from "../factories";

async function createPayment(overrides: Partial<typeof eventPayments.$inferInsert> = {}) {
  const { organization, event, ticketType } = await createSellingEvent();
  const buyer = await createUser();
  const [payment] = await (await getDb())
    .insert(eventPayments)
    .values({
      organizationId: organization.id,
      eventId: event.id,
      userId: buyer.id,
      ticketTypeId: ticketType.id,
      quantity: 2,
      unitAmount: 2500,
      amountTotal: 5000,
      currency: "eur",
      holdExpiresAt: new Date(Date.now() + 35 * 60_000),
      ...overrides,
    })
    .returning();
  return { payment: payment!, organization, event, ticketType, buyer };
}

/** Postgres reports the violated constraint in `cause` (postgres.js) or on the error itself (PGlite). */
async function violation(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as { cause?: { constraint_name?: string; constraint?: string }; constraint?: string };
    return e.cause?.constraint_name ?? e.cause?.constraint ?? e.constraint ?? String(error);
  }
  throw new Error("expected a constraint violation, but the write succeeded");
}

describe("schema constraints", () => {
  it("rejects refunding more than the payment's total", async () => {
    const db = await getDb();
    const { payment } = await createPayment();
    expect(await violation(db.update(eventPayments).set({ amountRefunded: 5001 }).where(eq(eventPayments.id, payment.id)))).toBe(
      "event_payments_refund_within_total",
    );
    const [unchanged] = await db.select().from(eventPayments).where(eq(eventPayments.id, payment.id));
    expect(unchanged!.amountRefunded).toBe(0);
  });

  it("rejects a second payment with the same Stripe checkout session id", async () => {
    const sessionId = `cs_test_${crypto.randomUUID()}`;
    await createPayment({ stripeCheckoutSessionId: sessionId });
    expect(await violation(createPayment({ stripeCheckoutSessionId: sessionId }))).toBe(
      "event_payments_stripe_checkout_session_id_idx",
    );
  });

  it("rejects zero quantities, negative amounts and negative capacity", async () => {
    expect(await violation(createPayment({ quantity: 0 }))).toBe("event_payments_quantity_positive");
    expect(await violation(createPayment({ amountTotal: -1 }))).toBe("event_payments_amount_total_nonnegative");
    const { event } = await createSellingEvent();
    expect(await violation(createTicketType(event, { capacity: -1 }))).toBe("ticket_types_capacity_nonnegative");
  });

  it("treats ticket type names as unique per event regardless of letter case", async () => {
    const { event } = await createSellingEvent({ ticketType: { name: "VIP" } });
    expect(await violation(createTicketType(event, { name: "vip" }))).toBe("ticket_types_event_id_name_lower_idx");
  });

  it("keeps emails unique regardless of letter case", async () => {
    const email = `Case-${crypto.randomUUID()}@Test.example`;
    await createUser({ email });
    expect(await violation(createUser({ email: email.toLowerCase() }))).toBe("users_email_lower_idx");
  });

  it("cascades from an organization to its events, ticket types, payments and tickets", async () => {
    const db = await getDb();
    const { payment, organization, event, ticketType, buyer } = await createPayment({ status: "succeeded" });
    await db.insert(tickets).values({
      paymentId: payment.id,
      eventId: event.id,
      ticketTypeId: ticketType.id,
      organizationId: organization.id,
      ownerUserId: buyer.id,
      code: crypto.randomUUID(),
    });
    await db.delete(organizations).where(eq(organizations.id, organization.id));
    expect(await db.select().from(events).where(eq(events.id, event.id))).toHaveLength(0);
    expect(await db.select().from(ticketTypes).where(eq(ticketTypes.id, ticketType.id))).toHaveLength(0);
    expect(await db.select().from(eventPayments).where(eq(eventPayments.id, payment.id))).toHaveLength(0);
    expect(await db.select().from(tickets).where(eq(tickets.paymentId, payment.id))).toHaveLength(0);
    // The buyer's account is not the organization's to delete.
    expect(await db.select().from(users).where(eq(users.id, buyer.id))).toHaveLength(1);
  });

  it("keeps a receipt when its event is deleted, with the link set to null", async () => {
    const db = await getDb();
    const { payment, organization, event, buyer } = await createPayment({ status: "succeeded" });
    const [receipt] = await db
      .insert(eventPaymentReceipts)
      .values({
        paymentId: payment.id,
        organizationId: organization.id,
        eventId: event.id,
        userId: buyer.id,
        receiptNumber: `RCP-TEST-${crypto.randomUUID()}`,
        snapshot: {} as never,
      })
      .returning();
    await db.delete(events).where(eq(events.id, event.id));
    const [kept] = await db.select().from(eventPaymentReceipts).where(eq(eventPaymentReceipts.id, receipt!.id));
    expect(kept).toBeDefined();
    expect(kept!.eventId).toBeNull();
    expect(kept!.paymentId).toBeNull(); // the payment went with the event
  });

  it("allows one refund per request key and payment; refunds without a key never conflict", async () => {
    const db = await getDb();
    const { payment, organization } = await createPayment({ status: "succeeded" });
    const other = await createPayment({ status: "succeeded" });
    const refund = (sequence: number, requestKey: string | null, of = { payment, organization }) =>
      db.insert(refunds).values({ paymentId: of.payment.id, organizationId: of.organization.id, sequence, amount: 100, currency: "eur", requestKey });
    await refund(1, "api:same");
    await refund(2, null);
    await refund(3, null);
    await refund(1, "api:same", other);
    expect(await violation(refund(4, "api:same"))).toBe("refunds_payment_id_request_key_idx");
  });

  it("allows only one receipt per payment", async () => {
    const db = await getDb();
    const { payment, organization } = await createPayment({ status: "succeeded" });
    const values = { paymentId: payment.id, organizationId: organization.id, snapshot: {} as never };
    await db.insert(eventPaymentReceipts).values({ ...values, receiptNumber: `RCP-A-${crypto.randomUUID()}` });
    expect(await violation(db.insert(eventPaymentReceipts).values({ ...values, receiptNumber: `RCP-B-${crypto.randomUUID()}` }))).toBe(
      "event_payment_receipts_payment_id_unique",
    );
  });
});
