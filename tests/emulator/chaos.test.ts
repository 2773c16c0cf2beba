import type Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import type { Delivery } from "@/scripts/stripe-emulator/webhooks/delivery";
import { eventually, sessionParams, harnessPerFile } from "./support";

const h = harnessPerFile({ retrySchedule: [1, 1, 1] });
afterEach(async () => {
  await h.control("/_emulator/webhooks/chaos", {});
  await h.emulator.idle();
});

async function pay(): Promise<{ session: Stripe.Checkout.Session; pi: string }> {
  const session = await h.stripe.checkout.sessions.create(sessionParams());
  await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
  await h.emulator.idle();
  return { session, pi: (await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string };
}

const eventsFor = (pi: string) => h.receiver.events.filter((e) => JSON.stringify(e.data.object).includes(pi));

describe("webhook chaos", () => {
  it("delivers duplicates of each event at once", async () => {
    await h.control("/_emulator/webhooks/chaos", { duplicates: 2 });
    const { pi } = await pay();
    const events = eventsFor(pi);
    expect(events).toHaveLength(9);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });

  it("shuffles the order of events from one action", async () => {
    await h.control("/_emulator/webhooks/chaos", { shuffle: true });
    const orders = new Set<string>();
    for (let i = 0; i < 8 && orders.size < 2; i++) {
      const { pi } = await pay();
      orders.add(eventsFor(pi).map((e) => e.type).join(","));
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it("delays deliveries", async () => {
    await h.control("/_emulator/webhooks/chaos", { delayMs: 300 });
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.stripe.checkout.sessions.expire(session.id);
    const countRightAfter = h.receiver.ofType("checkout.session.expired").filter((e) => e.data.object.id === session.id).length;
    expect(countRightAfter).toBe(0);
    await eventually(() => expect(h.receiver.ofType("checkout.session.expired").map((e) => e.data.object.id)).toContain(session.id));
  });

  it.each([
    ["staleSignature", /timestamp outside the tolerance zone/i],
    ["badSignature", /No signatures found matching the expected signature/i],
  ])("sends a %s that constructEvent rejects, then retries normally once chaos is off", async (mode, message) => {
    const rejectedBefore = h.receiver.rejected.length;
    await h.control("/_emulator/webhooks/chaos", { [mode]: true });
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.stripe.checkout.sessions.expire(session.id);
    await h.emulator.idle();
    const rejected = h.receiver.rejected.slice(rejectedBefore);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]!.error).toMatch(message);
    await h.control("/_emulator/webhooks/chaos", {});
    await eventually(async () => {
      const { data } = (await h.control<{ data: Delivery[] }>("/_emulator/deliveries?type=checkout.session.expired")).body;
      const mine = data.filter((d) => d.log.some((l) => l.signature !== "valid")).at(-1);
      expect(mine?.status).toBe("succeeded");
      expect(mine?.statusCodes.at(0)).toBe(400);
      expect(mine?.statusCodes.at(-1)).toBe(200);
    });
  });

  it("validates chaos settings and reports them", async () => {
    expect((await h.control("/_emulator/webhooks/chaos", { duplicates: -1 })).status).toBe(400);
    const set = await h.control<{ chaos: Record<string, unknown> }>("/_emulator/webhooks/chaos", { duplicates: 1, shuffle: true });
    expect(set.body.chaos).toMatchObject({ duplicates: 1, shuffle: true, delayMs: 0, staleSignature: false, badSignature: false });
    const cleared = await h.control<{ chaos: Record<string, unknown> }>("/_emulator/webhooks/chaos", {});
    expect(cleared.body.chaos).toMatchObject({ duplicates: 0, shuffle: false });
  });

  it("reset clears state, the clock offset and chaos", async () => {
    await h.control("/_emulator/webhooks/chaos", { duplicates: 3 });
    await h.control("/_emulator/clock/advance", { seconds: 600 });
    await h.control("/_emulator/reset", {});
    expect((await h.control<{ offsetSeconds: number }>("/_emulator/clock")).body.offsetSeconds).toBe(0);
    const deliveries = await h.control<{ data: unknown[]; chaos: { duplicates: number } }>("/_emulator/deliveries");
    expect(deliveries.body).toMatchObject({ data: [], chaos: { duplicates: 0 } });
    expect((await h.stripe.events.list()).data).toEqual([]);
  });
});
