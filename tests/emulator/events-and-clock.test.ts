import { describe, expect, it } from "vitest";
import { eventually, inMinutes, sessionParams, harnessPerFile } from "./support";

const h = harnessPerFile();

describe("events API", () => {
  it("lists events newest first with type, created and cursor pagination, and retrieves each", async () => {
    const before = Math.floor(Date.now() / 1000) - 1;
    for (let i = 0; i < 3; i++) {
      const session = await h.stripe.checkout.sessions.create(sessionParams());
      await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    }
    const completed = await h.stripe.events.list({ type: "checkout.session.completed", created: { gte: before } });
    expect(completed.data).toHaveLength(3);
    expect(completed.data.every((e) => e.type === "checkout.session.completed")).toBe(true);
    expect(completed.data[0]!.created).toBeGreaterThanOrEqual(completed.data[2]!.created);

    const wildcard = await h.stripe.events.list({ type: "payment_intent.*", limit: 100 });
    expect(new Set(wildcard.data.map((e) => e.type))).toEqual(new Set(["payment_intent.succeeded"]));

    const firstPage = await h.stripe.events.list({ limit: 2 });
    expect(firstPage.has_more).toBe(true);
    const secondPage = await h.stripe.events.list({ limit: 2, starting_after: firstPage.data[1]!.id });
    expect(secondPage.data[0]!.id).not.toBe(firstPage.data[1]!.id);
    const all: string[] = [];
    for await (const event of h.stripe.events.list({ limit: 4 })) all.push(event.id);
    expect(all).toHaveLength(9);
    expect(new Set(all).size).toBe(9);

    const one = await h.stripe.events.retrieve(completed.data[0]!.id);
    expect(one).toMatchObject({ object: "event", type: "checkout.session.completed", livemode: false });
    expect(await h.stripe.events.list({ created: { gt: Math.floor(Date.now() / 1000) + 3600 } })).toMatchObject({ data: [] });
  });

  it("keeps each event's snapshot even after the object changes", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    const pi = (await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    await h.stripe.refunds.create({ payment_intent: pi, amount: 100 });
    await h.stripe.refunds.create({ payment_intent: pi, amount: 200 });
    const refunded = await h.stripe.events.list({ type: "charge.refunded", limit: 2 });
    expect(refunded.data.map((e) => (e.data.object as { amount_refunded: number }).amount_refunded)).toEqual([300, 100]);
  });
});

describe("the emulator clock", () => {
  it("expires sessions at expires_at and emits checkout.session.expired", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams({ expires_at: inMinutes(31) }));
    await h.control("/_emulator/clock/advance", { seconds: 25 * 60 });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    await h.control("/_emulator/clock/advance", { seconds: 10 * 60 });
    const expired = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(expired).toMatchObject({ status: "expired", url: null });
    await eventually(() => expect(h.receiver.ofType("checkout.session.expired").map((e) => e.data.object.id)).toContain(session.id));
    const clock = await h.control<{ offsetSeconds: number }>("/_emulator/clock");
    expect(clock.body.offsetSeconds).toBe(35 * 60);
  });

  it("cancels the PaymentIntent a declined attempt left behind when the session expires", async () => {
    // The clock was moved 35 minutes on above: a 24-hour session is still open.
    const session = await h.stripe.checkout.sessions.create(sessionParams({ expires_at: inMinutes(24 * 60) }));
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4000000000000002" });
    await h.stripe.checkout.sessions.expire(session.id);
    const pi = await h.stripe.paymentIntents.retrieve((await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string);
    expect(pi).toMatchObject({ status: "canceled", cancellation_reason: "automatic" });
    await eventually(() => expect(h.receiver.ofType("payment_intent.canceled").map((e) => e.data.object.id)).toContain(pi.id));
  });

  it("rejects a negative advance", async () => {
    expect((await h.control("/_emulator/clock/advance", { seconds: -5 })).status).toBe(400);
  });

  it("expires a session created after a later-expiring one once it is due (the due check skips no session)", async () => {
    // The clock is 35 minutes ahead from the first test. The retrieve runs the due check while only
    // the 24-hour session is open; the 23-hour one is created after it and must still expire first.
    const later = await h.stripe.checkout.sessions.create(sessionParams({ expires_at: inMinutes(24 * 60) }));
    await h.stripe.checkout.sessions.retrieve(later.id);
    const sooner = await h.stripe.checkout.sessions.create(sessionParams({ expires_at: inMinutes(23 * 60) }));
    await h.control("/_emulator/clock/advance", { seconds: 23 * 3600 - 20 * 60 });
    expect((await h.stripe.checkout.sessions.retrieve(sooner.id)).status).toBe("expired");
    expect((await h.stripe.checkout.sessions.retrieve(later.id)).status).toBe("open");
  });
});
