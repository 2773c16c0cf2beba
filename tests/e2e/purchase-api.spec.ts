import { expect, test, type APIRequestContext } from "@playwright/test";
import Stripe from "stripe";
import { e2eEmulatorUrl } from "../../playwright.config";
import { demo, signInApi } from "./support/auth";

interface EventJson {
  id: string;
  ticketTypes: { id: string; name: string; available: number }[];
}

async function harbourLights(request: APIRequestContext): Promise<EventJson> {
  const { events } = (await (await request.get("/api/events")).json()) as { events: (EventJson & { slug: string })[] };
  return events.find((e) => e.slug === "harbour-lights-festival")!;
}

/** Every checkout a test opens is cancelled again, so the shared demo data stays as it was. */
async function cancel(request: APIRequestContext, paymentId: string) {
  const response = await request.get(`/checkout/cancel?payment_id=${paymentId}`, { maxRedirects: 0 });
  expect(response.status()).toBe(303);
}

const purchasePath = (eventId: string) => `/api/events/${eventId}/tickets/purchase`;

test("signed out: 401 in the error shape", async ({ request }) => {
  const event = await harbourLights(request);
  const response = await request.post(purchasePath(event.id), { data: { ticketType: "Day Pass", quantity: 1 } });
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe("unauthenticated");
});

test("201 with the Checkout Session; a price sent by the client is ignored", async ({ request }) => {
  await signInApi(request, demo.contoso);
  const event = await harbourLights(request);
  const response = await request.post(purchasePath(event.id), {
    data: { ticketType: "day pass", quantity: 2, unitAmount: 1, price: 1, amountTotal: 2 },
  });
  expect(response.status()).toBe(201);
  const body = (await response.json()) as { paymentId: string; checkoutSessionId: string; checkoutUrl: string; expiresAt: string };
  expect(Object.keys(body).sort()).toEqual(["checkoutSessionId", "checkoutUrl", "expiresAt", "paymentId"]);
  expect(body.checkoutSessionId).toMatch(/^cs_test_/);
  expect(new Date(body.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
  expect(body.checkoutUrl.startsWith(`${e2eEmulatorUrl}/c/pay/`)).toBe(true);
  const emulator = new URL(e2eEmulatorUrl);
  const stripe = new Stripe("sk_test_e2e_reader", { host: emulator.hostname, port: Number(emulator.port), protocol: "http" });
  const session = await stripe.checkout.sessions.retrieve(body.checkoutSessionId);
  expect([session.amount_total, session.currency]).toEqual([11800, "eur"]);
  await cancel(request, body.paymentId);
});

test("errors: unknown event 404, unknown ticket type and bad quantity 400, reused Idempotency-Key 422", async ({ request }) => {
  await signInApi(request, demo.contoso);
  const event = await harbourLights(request);
  const before = await harbourLights(request);
  const post = (data: unknown, eventId = event.id, headers: Record<string, string> = {}) =>
    request.post(purchasePath(eventId), { data, headers });

  const unknownEvent = await post({ ticketType: "Day Pass", quantity: 1 }, "00000000-0000-4000-8000-000000000000");
  expect(unknownEvent.status()).toBe(404);
  expect((await unknownEvent.json()).error.code).toBe("not_found");
  const unknownType = await post({ ticketType: "Balcony", quantity: 1 });
  expect(unknownType.status()).toBe(400);
  expect((await unknownType.json()).error).toMatchObject({ code: "unknown_ticket_type", message: expect.stringContaining("Balcony") });
  for (const quantity of [0, 11, 1.5]) expect((await post({ ticketType: "Day Pass", quantity })).status()).toBe(400);
  expect((await post({ quantity: 1 })).status()).toBe(400);
  const notYet = await post({ ticketType: "Backstage Tour", quantity: 1 });
  expect(notYet.status()).toBe(409);
  expect((await notYet.json()).error.code).toBe("sales_not_open");
  expect(await harbourLights(request)).toEqual(before);

  const key = { "idempotency-key": `e2e-${Date.now()}` };
  const first = await post({ ticketType: "Weekend Pass", quantity: 1 }, event.id, key);
  const again = await post({ ticketType: "Weekend Pass", quantity: 1 }, event.id, key);
  expect(first.status()).toBe(201);
  expect((await again.json()).paymentId).toBe((await first.json()).paymentId);
  const reused = await post({ ticketType: "Weekend Pass", quantity: 2 }, event.id, key);
  expect(reused.status()).toBe(422);
  expect((await reused.json()).error.code).toBe("idempotency_key_reused");
  await cancel(request, (await first.json()).paymentId);
});
