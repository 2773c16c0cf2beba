import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { placeHold } from "@/db/queries/holds";
import { findPaymentForFulfilment } from "@/db/queries/payments";
import { eventPaymentReceipts, eventPayments, stripeEvents, tickets } from "@/db/schema";
import { issueTicketsAndReceipt } from "@/lib/fulfilment/apply";
import { fulfil } from "@/lib/fulfilment/fulfil";
import { getStripe } from "@/lib/stripe/client";
import { createUser } from "../factories";
import {
  createPaidPayment,
  createPendingPayment,
  payOnEmulator,
  paymentState,
  reloadPayment,
  retrieveSession,
  sendEvent,
  signEvent,
} from "../factories/payments";
import { holdRequest } from "./support/purchase";

describe("fulfil(checkoutSessionId)", () => {
  it("marks a paid payment succeeded and assigns exactly its tickets to the buyer, each with an unguessable code", async () => {
    const { payment, session, buyer } = await createPendingPayment({ quantity: 3 });
    await payOnEmulator(session.id);
    const result = await fulfil(session.id);
    expect(result).toEqual({ paymentId: payment.id, decision: "fulfil" });

    const after = await reloadPayment(payment.id);
    expect(after.status).toBe("succeeded");
    expect(after.paidAt).toBeInstanceOf(Date);
    expect(after.stripePaymentIntentId).toMatch(/^pi_/);
    const issued = await (await getDb()).select().from(tickets).where(eq(tickets.paymentId, payment.id));
    expect(issued).toHaveLength(3);
    for (const ticket of issued) {
      expect(ticket).toMatchObject({ ownerUserId: buyer.id, status: "valid", eventId: payment.eventId, ticketTypeId: payment.ticketTypeId });
      expect(ticket.code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
    expect(new Set(issued.map((t) => t.code)).size).toBe(3);
  });

  it("generates one receipt: RCP-YYYY-MMDD-XXXXXXXX and a snapshot with card brand and last four", async () => {
    const { payment, organization, event, ticketType, buyer } = await createPaidPayment({ quantity: 2 });
    const [receipt] = await (await getDb()).select().from(eventPaymentReceipts).where(eq(eventPaymentReceipts.paymentId, payment.id));
    const paidAt = payment.paidAt!;
    const date = `${paidAt.getUTCFullYear()}-${String(paidAt.getUTCMonth() + 1).padStart(2, "0")}${String(paidAt.getUTCDate()).padStart(2, "0")}`;
    expect(receipt!.receiptNumber).toBe(`RCP-${date}-${payment.id.slice(0, 8).toUpperCase()}`);
    expect(receipt!.snapshot).toMatchObject({
      receiptNumber: receipt!.receiptNumber,
      paymentId: payment.id,
      organization: { id: organization.id, name: organization.name },
      event: { id: event.id, title: event.title, startsAt: event.startsAt.toISOString() },
      buyer: { id: buyer.id, email: buyer.email },
      items: [{ ticketType: ticketType.name, quantity: 2, unitAmount: ticketType.price, amount: ticketType.price * 2 }],
      amountTotal: ticketType.price * 2,
      currency: ticketType.currency,
      paymentMethod: { type: "card", brand: "visa", last4: "4242" },
      paidAt: paidAt.toISOString(),
    });
  });

  it("does nothing the second time, and nothing more when called five times at once", async () => {
    const { payment, session } = await createPendingPayment({ quantity: 2 });
    await payOnEmulator(session.id);
    const results = await Promise.all(Array.from({ length: 5 }, () => fulfil(session.id)));
    expect(results.filter((r) => r.decision === "fulfil")).toHaveLength(1);
    expect((await fulfil(session.id)).decision).toBe("already_fulfilled");
    const state = await paymentState(payment.id);
    expect(state.tickets).toEqual(["valid", "valid"]);
    expect(state.receipts).toHaveLength(1);
  });

  it("fulfils once when different events and the success page all arrive at once, and records every event", async () => {
    const { payment, session } = await createPendingPayment({ quantity: 2 });
    await payOnEmulator(session.id);
    const paid = await retrieveSession(session.id);
    const [first, second, settled] = await Promise.all([
      sendEvent("checkout.session.completed", paid),
      sendEvent("checkout.session.completed", paid),
      sendEvent("checkout.session.async_payment_succeeded", paid),
      fulfil(session.id),
      fulfil(session.id),
    ]);
    expect([first.status, second.status, settled.status]).toEqual([200, 200, 200]);
    const state = await paymentState(payment.id);
    expect(state).toMatchObject({ status: "succeeded", tickets: ["valid", "valid"], ticketCodes: 2 });
    expect(state.receipts).toHaveLength(1);
    const recorded = await (await getDb()).select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.paymentId, payment.id));
    expect(recorded.map((r) => r.id).sort()).toEqual([first.eventId, second.eventId, settled.eventId].sort());
  });

  it("issues nothing without a lock unless the row is still payable when the update reaches it", async () => {
    const db = await getDb();
    const now = new Date();
    const cases = [
      { status: "expired" as const },
      { flaggedAt: now },
      { holdExpiresAt: new Date(now.getTime() - 1000) },
    ];
    for (const change of cases) {
      const { payment, session } = await createPendingPayment({ quantity: 1 });
      await payOnEmulator(session.id);
      // Read as payable, then changed by someone else before the statement runs.
      const found = (await findPaymentForFulfilment(db, { paymentId: payment.id }, { lock: false }))!;
      await db.update(eventPayments).set(change).where(eq(eventPayments.id, payment.id));
      const applied = await issueTicketsAndReceipt(db, found, await retrieveSession(session.id), now, { unlocked: true });
      expect(applied).toBe(false);
      expect(await paymentState(payment.id)).toMatchObject({ tickets: [], receipts: [] });
    }
  });

  it("issues nothing for an event that was recorded before, even under the lock", async () => {
    const { payment, session } = await createPendingPayment({ quantity: 1 });
    await payOnEmulator(session.id);
    const paid = await retrieveSession(session.id);
    const { event, payload } = signEvent("checkout.session.completed", paid);
    const db = await getDb();
    await db.insert(stripeEvents).values({ id: event.id, type: event.type, paymentId: payment.id, stripeCreatedAt: new Date(), payload: JSON.parse(payload) });
    const found = (await findPaymentForFulfilment(db, { paymentId: payment.id }, { lock: false }))!;
    const record = { event, rawBody: payload };
    expect(await issueTicketsAndReceipt(db, found, paid, new Date(), { record, unlocked: false })).toBe(false);
    expect(await paymentState(payment.id)).toMatchObject({ status: "pending", tickets: [], receipts: [] });
  });

  it("issues nothing while the session is unpaid", async () => {
    const { payment, session } = await createPendingPayment();
    expect((await fulfil(session.id)).decision).toBe("not_paid");
    expect(await paymentState(payment.id)).toMatchObject({ status: "pending", tickets: [], receipts: [] });
  });

  it("flags a payment whose Stripe amount differs from ours and issues no tickets", async () => {
    const { payment, session } = await createPendingPayment({ quantity: 1 });
    // Our record says one price, Stripe charged another (a tampered or stale session).
    await (await getDb())
      .update(eventPayments)
      .set({ amountTotal: payment.amountTotal + 100 })
      .where(eq(eventPayments.id, payment.id));
    await payOnEmulator(session.id);
    expect((await fulfil(session.id)).decision).toBe("amount_mismatch");
    const state = await paymentState(payment.id);
    expect(state).toMatchObject({ status: "pending", flagged: true, tickets: [], receipts: [] });
    expect(state.failureReason).toMatch(/amount mismatch/);
    expect((await fulfil(session.id)).decision).toBe("flagged");
  });

  it("fulfils a payment whose hold lapsed when places are still available", async () => {
    const { payment, session } = await createPendingPayment({
      quantity: 2,
      payment: { holdExpiresAt: new Date(Date.now() - 60_000) },
    });
    await payOnEmulator(session.id);
    expect((await fulfil(session.id)).decision).toBe("fulfil");
    expect(await paymentState(payment.id)).toMatchObject({ status: "succeeded", tickets: ["valid", "valid"] });
  });

  // Regression guard for the held-places counter (migration 0007): a hold that gave its places back
  // must not be trusted again because some clock says it has not expired. Without the lapsed check
  // the optimistic path issued these two tickets on top of the other buyer's two: capacity 2, sold 4.
  it("refunds a payment whose hold gave its places back early (a clock ahead of ours) once another buyer holds them", async () => {
    const first = await createPendingPayment({ quantity: 2, ticketType: { capacity: 2 } });
    // A server whose clock runs 41 minutes ahead sees the hold expired: it marks it lapsed and holds the places.
    const ahead = new Date(Date.now() + 41 * 60_000);
    const other = await placeHold(await getDb(), holdRequest(first.ticketType, (await createUser()).id, { quantity: 2, now: ahead }));
    expect(other.created).not.toBeNull();
    expect((await reloadPayment(first.payment.id)).holdLapsed).toBe(true);

    await payOnEmulator(first.session.id);
    expect((await fulfil(first.session.id)).decision).toBe("sold_out");
    expect(await paymentState(first.payment.id)).toMatchObject({
      status: "refunded",
      failureReason: "sold out while paying",
      tickets: [],
    });
  });

  it("refunds in full a late payment whose places were sold meanwhile: refunded, 'sold out while paying', no tickets", async () => {
    const first = await createPendingPayment({ quantity: 2, ticketType: { capacity: 2 }, payment: { holdExpiresAt: new Date(Date.now() - 60_000) } });
    // Someone else bought the last two places after this hold lapsed.
    const other = await createPaidPayment({ quantity: 2, on: { event: first.event, ticketType: first.ticketType }, buyer: await createUser() });
    expect(other.payment.status).toBe("succeeded");

    await payOnEmulator(first.session.id);
    expect((await fulfil(first.session.id)).decision).toBe("sold_out");
    const state = await paymentState(first.payment.id);
    expect(state).toMatchObject({
      status: "refunded",
      amountRefunded: first.payment.amountTotal,
      failureReason: "sold out while paying",
      tickets: [],
      receipts: [],
    });
    expect(state.refunds).toEqual([expect.stringMatching(new RegExp(`^${first.payment.amountTotal}:succeeded:re_`))]);
    // Stripe agrees, and a retry does not refund twice.
    expect((await fulfil(first.session.id)).decision).toBe("already_fulfilled");
    const stripeRefunds = await getStripe().refunds.list({ payment_intent: (await reloadPayment(first.payment.id)).stripePaymentIntentId! });
    expect(stripeRefunds.data).toHaveLength(1);
    expect(stripeRefunds.data[0]!.amount).toBe(first.payment.amountTotal);
  });
});
