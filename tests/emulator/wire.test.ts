import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { sessionParams, harnessPerFile, stripeFor } from "./support";

const h = harnessPerFile();

describe("wire behaviour", () => {
  it("accepts any sk_test_ key and answers 401 to live keys or none", async () => {
    await expect(stripeFor(h.emulator.url, "sk_live_abcdefghijkl").checkout.sessions.retrieve("cs_test_x")).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    const anonymous = await fetch(`${h.emulator.url}/v1/events`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    const basic = await fetch(`${h.emulator.url}/v1/events`, { headers: { authorization: `Basic ${Buffer.from("sk_test_curl:").toString("base64")}` } });
    expect(basic.status).toBe(200);
  });

  it("replays the stored response for the same idempotency key and parameters", async () => {
    const key = `key-${Date.now()}`;
    const params = sessionParams();
    const first = await h.stripe.checkout.sessions.create(params, { idempotencyKey: key });
    const replay = await h.stripe.checkout.sessions.create(params, { idempotencyKey: key });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    // A replay is the response as first sent, not the object as it is now.
    await h.stripe.checkout.sessions.expire(first.id);
    const later = await h.stripe.checkout.sessions.create(params, { idempotencyKey: key });
    expect(later.status).toBe("open");
    expect((await h.stripe.checkout.sessions.retrieve(first.id)).status).toBe("expired");
    // Errors are stored too: the same bad request with the same key gets the same answer.
    const bad = { ...params, expires_at: 1 };
    await expect(h.stripe.checkout.sessions.create(bad, { idempotencyKey: `${key}-bad` })).rejects.toMatchObject({ param: "expires_at" });
    await expect(h.stripe.checkout.sessions.create(bad, { idempotencyKey: `${key}-bad` })).rejects.toMatchObject({ param: "expires_at" });
  });

  it("replays a reused key whose body lists the same parameters in another order", async () => {
    const post = (body: string) =>
      fetch(`${h.emulator.url}/v1/checkout/sessions`, {
        method: "POST",
        headers: { authorization: "Bearer sk_test_order", "content-type": "application/x-www-form-urlencoded", "idempotency-key": "order-key" },
        body,
      });
    const items = "line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=Gig&line_items[0][quantity]=1";
    const first = await post(`mode=payment&${items}&metadata[a]=1&metadata[b]=2`);
    const reordered = await post(`metadata[b]=2&${items}&metadata[a]=1&mode=payment`);
    expect(reordered.headers.get("idempotent-replayed")).toBe("true");
    expect(await reordered.text()).toBe(await first.text());
    expect((await post(`mode=payment&${items}&metadata[a]=1&metadata[b]=3`)).status).toBe(400);
  });

  it("answers a reused key with different parameters with idempotency_error", async () => {
    const key = `conflict-${Date.now()}`;
    const params = sessionParams();
    await h.stripe.checkout.sessions.create(params, { idempotencyKey: key });
    const conflict = h.stripe.checkout.sessions.create({ ...params, client_reference_id: "someone-else" }, { idempotencyKey: key });
    await expect(conflict).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    await expect(conflict).rejects.toMatchObject({ statusCode: 400, type: "StripeIdempotencyError" });
  });

  it("returns Stripe's 404 shape for unknown objects and URLs", async () => {
    await expect(h.stripe.checkout.sessions.retrieve("cs_test_missing")).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
      param: "id",
      message: "No such checkout.session: 'cs_test_missing'",
    });
    await expect(h.stripe.paymentIntents.retrieve("pi_missing")).rejects.toMatchObject({ statusCode: 404 });
    await expect(h.stripe.charges.retrieve("ch_missing")).rejects.toMatchObject({ statusCode: 404 });
    await expect(h.stripe.events.retrieve("evt_missing")).rejects.toMatchObject({ statusCode: 404 });
    await expect(h.stripe.customers.create({})).rejects.toMatchObject({ statusCode: 404, type: "StripeInvalidRequestError" });
  });

  it("reports health and resets state", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    expect((await h.control<{ ok: boolean }>("/_emulator/health")).body.ok).toBe(true);
    expect((await h.control("/_emulator/reset", {})).status).toBe(200);
    await expect(h.stripe.checkout.sessions.retrieve(session.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe("more of the API through the SDK", () => {
  it("answers concurrent requests with one idempotency key with one object", async () => {
    const params = sessionParams();
    const sessions = await Promise.all(Array.from({ length: 5 }, () => h.stripe.checkout.sessions.create(params, { idempotencyKey: "concurrent-key" })));
    expect(new Set(sessions.map((s) => s.id)).size).toBe(1);
  });

  it("lists sessions by payment intent and records the request on API-caused events", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    const pi = (await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    const listed = await h.stripe.checkout.sessions.list({ payment_intent: pi });
    expect(listed.data.map((s) => s.id)).toEqual([session.id]);

    const refund = await h.stripe.refunds.create({ payment_intent: pi, amount: 100 }, { idempotencyKey: "refund-key-1" });
    const created = (await h.stripe.events.list({ type: "refund.created" })).data.find((e) => (e.data.object as { id: string }).id === refund.id);
    expect(created?.request?.idempotency_key).toBe("refund-key-1");
    expect(created?.request?.id).toMatch(/^req_/);
  });

  it("rejects expanding what cannot be expanded", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await expect(h.stripe.checkout.sessions.retrieve(session.id, { expand: ["currency"] })).rejects.toMatchObject({ statusCode: 400, param: "expand" });
  });
});
