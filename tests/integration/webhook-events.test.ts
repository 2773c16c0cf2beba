import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import { getCheckoutOutcome } from "@/lib/fulfilment/checkout-outcome";
import { fulfil } from "@/lib/fulfilment/fulfil";
import {
  createPaidPayment,
  createPendingPayment,
  deliverWebhook,
  findEmulatorEvent,
  payOnEmulator,
  paymentState,
  redeliver,
  reloadPayment,
  retrieveSession,
  sendEvent,
  signEvent,
} from "../factories/payments";

describe("checkout webhooks", () => {
  it("fulfils on a signed checkout.session.completed over HTTP and links the event to the payment", async () => {
    const { payment, session } = await createPendingPayment({ quantity: 2 });
    await payOnEmulator(session.id);
    const response = await sendEvent("checkout.session.completed", await retrieveSession(session.id));
    expect(response).toMatchObject({ status: 200, body: { received: true } });
    expect(await paymentState(payment.id)).toMatchObject({ status: "succeeded", tickets: ["valid", "valid"], receipts: [expect.stringMatching(/^RCP-/)] });
    const [row] = await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, response.eventId));
    expect(row).toMatchObject({ type: "checkout.session.completed", paymentId: payment.id });
  });

  it("applies the same event delivered 5 times concurrently once: one set of tickets, one receipt", async () => {
    const { payment, session } = await createPendingPayment({ quantity: 3 });
    await payOnEmulator(session.id);
    const { payload, header, event } = signEvent("checkout.session.completed", await retrieveSession(session.id));
    const responses = await Promise.all(Array.from({ length: 5 }, () => deliverWebhook(payload, header)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const state = await paymentState(payment.id);
    expect(state.tickets).toHaveLength(3);
    expect(state.receipts).toHaveLength(1);
    expect(await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, event.id))).toHaveLength(1);
  });

  it("fulfils once when the webhook and the buyer's success page race", async () => {
    const { payment, session, buyer } = await createPendingPayment({ quantity: 2 });
    await payOnEmulator(session.id);
    const completed = await retrieveSession(session.id);
    const [webhook, page] = await Promise.all([
      sendEvent("checkout.session.completed", completed),
      getCheckoutOutcome(session.id, buyer.id),
      fulfil(session.id),
    ]);
    expect(webhook.status).toBe(200);
    expect(page).toMatchObject({ found: true });
    const state = await paymentState(payment.id);
    expect(state).toMatchObject({ status: "succeeded", tickets: ["valid", "valid"] });
    expect(state.receipts).toHaveLength(1);
    // After both, the page shows the tickets and the receipt number.
    expect(await getCheckoutOutcome(session.id, buyer.id)).toMatchObject({ state: "paid", receiptNumber: state.receipts[0] });
  });

  it("shows nothing of someone else's session on the success page", async () => {
    const { session } = await createPaidPayment();
    const stranger = await createPendingPayment();
    expect(await getCheckoutOutcome(session.id, stranger.buyer.id)).toEqual({ found: false });
    expect(await getCheckoutOutcome("cs_test_does_not_exist", stranger.buyer.id)).toEqual({ found: false });
  });

  it("records a declined card's reason and keeps the payment open; paying again yields one payment, one receipt", async () => {
    const { payment, session } = await createPendingPayment({ quantity: 1 });
    const declined = await payOnEmulator(session.id, { card: "4000000000000002" });
    expect(declined.status).toBeGreaterThanOrEqual(400);
    const intentId = (await retrieveSession(session.id)).payment_intent as string;
    const failedEvent = await findEmulatorEvent("payment_intent.payment_failed", (pi) => pi.id === intentId);
    expect((await redeliver(failedEvent)).status).toBe(200);
    const afterDecline = await paymentState(payment.id);
    expect(afterDecline).toMatchObject({ status: "pending", tickets: [], receipts: [] });
    expect(afterDecline.failureReason).toMatch(/declined/i);

    await payOnEmulator(session.id);
    await sendEvent("checkout.session.completed", await retrieveSession(session.id));
    const paid = await paymentState(payment.id);
    expect(paid).toMatchObject({ status: "succeeded", tickets: ["valid"], failureReason: null });
    expect(paid.receipts).toHaveLength(1);
  });

  it("marks an expired session's payment expired (hold released) but never touches a paid one", async () => {
    const open = await createPendingPayment();
    await sendEvent("checkout.session.expired", { ...(await retrieveSession(open.session.id)), status: "expired" });
    expect((await reloadPayment(open.payment.id)).status).toBe("expired");

    const { payment, session } = await createPaidPayment();
    await sendEvent("checkout.session.expired", { ...(await retrieveSession(session.id)), status: "expired" });
    expect((await reloadPayment(payment.id)).status).toBe("succeeded");
  });
});
