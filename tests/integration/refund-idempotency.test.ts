import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { refunds } from "@/db/schema";
import { POST } from "@/app/api/payments/[paymentId]/refunds/route";
import { requestRefund, type RefundActor } from "@/lib/refunds/request-refund";
import { getStripe } from "@/lib/stripe/client";
import { actAs, createPaidPayment, jsonRequest, reloadPayment, reloadTickets } from "../factories/organizer";
import { withBrokenStripe } from "./support/stripe";
import { refusal } from "./support/app-error";

// Route handlers read the session from next/headers; the stand-in carries a real Auth.js cookie.
vi.mock("next/headers", async () => (await import("../factories/next-request")).nextHeadersMock);

type Paid = Awaited<ReturnType<typeof createPaidPayment>>;
const actorOf = (paid: Paid): RefundActor => ({ organizationId: paid.organization.id, userId: paid.owner!.id });

interface ApiBody {
  error?: { code: string; message: string };
  refundId?: string;
  amount?: number;
  status?: string;
}

async function post(paymentId: string, body: unknown, key?: string) {
  const headers: Record<string, string> = key === undefined ? {} : { "idempotency-key": key };
  const response = await POST(jsonRequest(`/api/payments/${paymentId}/refunds`, body, "POST", headers), {
    params: Promise.resolve({ paymentId }),
  } as never);
  return { status: response.status, body: (await response.json()) as ApiBody };
}

async function refundRows(paymentId: string) {
  return (await getDb()).select().from(refunds).where(eq(refunds.paymentId, paymentId)).orderBy(refunds.sequence);
}

async function stripeRefundsOf(paid: Paid) {
  return (await getStripe().refunds.list({ payment_intent: paid.payment.stripePaymentIntentId!, limit: 100 })).data;
}

describe("POST /api/payments/{paymentId}/refunds with an Idempotency-Key", () => {
  beforeEach(() => actAs(undefined));

  it("completes a refund that got no answer from Stripe when the client retries with the same key", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);

    const timedOut = await withBrokenStripe(503, () => post(paid.payment.id, { amount: 2000 }, "retry-me"));
    expect(timedOut.status).toBe(502);
    const [pending] = await refundRows(paid.payment.id);
    expect(pending).toMatchObject({ status: "pending", stripeRefundId: null });

    const retried = await post(paid.payment.id, { amount: 2000 }, "retry-me");
    expect(retried).toEqual({ status: 201, body: { refundId: pending!.id, amount: 2000, status: "succeeded" } });
    expect((await refundRows(paid.payment.id)).map((r) => r.status)).toEqual(["succeeded"]);
    expect((await stripeRefundsOf(paid)).map((r) => r.amount)).toEqual([2000]);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2000 });
  });

  it("answers a retry of a refund Stripe refused with the same refusal, refunding nothing", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);

    const refused = await withBrokenStripe(400, () => post(paid.payment.id, { amount: 2000 }, "refused-once"));
    expect(refused.status).toBe(502);
    const again = await post(paid.payment.id, { amount: 2000 }, "refused-once");
    expect(again.status).toBe(502);
    expect(again.body.error).toMatchObject({ code: "payment_provider_unavailable", message: expect.stringContaining("Stripe refused the refund") });
    expect((await refundRows(paid.payment.id)).map((r) => r.status)).toEqual(["failed"]);
    expect(await stripeRefundsOf(paid)).toEqual([]);
  });

  it("answers a retry with the same key with the same 201 and the one refund, here and at Stripe", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);

    const first = await post(paid.payment.id, { amount: 2000 }, "retry-after-timeout");
    const again = await post(paid.payment.id, { amount: 2000 }, "retry-after-timeout");

    expect(first).toEqual({ status: 201, body: { refundId: expect.any(String), amount: 2000, status: "succeeded" } });
    expect(again).toEqual(first);
    expect((await refundRows(paid.payment.id)).map((r) => [r.id, r.amount, r.status])).toEqual([[first.body.refundId, 2000, "succeeded"]]);
    expect(await stripeRefundsOf(paid)).toHaveLength(1);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2000 });
  });

  it("makes one refund when the same keyed request arrives twice at once", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);

    const answers = await Promise.all([1, 2].map(() => post(paid.payment.id, { amount: 2000 }, "double")));

    for (const a of answers) expect(a.status).toBe(201);
    // The second waits for the payment's lock and finds the first's refund, perhaps still on its way to Stripe.
    expect(answers[0]!.body.refundId).toBe(answers[1]!.body.refundId);
    for (const a of answers) expect(a.body).toMatchObject({ amount: 2000, status: expect.stringMatching(/^(pending|succeeded)$/) });
    expect((await refundRows(paid.payment.id)).map((r) => [r.id, r.status])).toEqual([[answers[0]!.body.refundId, "succeeded"]]);
    expect(await stripeRefundsOf(paid)).toHaveLength(1);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ amountRefunded: 2000 });
  });

  it("answers 422 idempotency_key_reused when the key comes back with a different refund, and changes nothing", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);
    const first = await post(paid.payment.id, { amount: 2000 }, "k-1");
    expect(first.status).toBe(201);

    for (const body of [{ amount: 1500 }, { ticketIds: [paid.tickets[0]!.id] }]) {
      const reused = await post(paid.payment.id, body, "k-1");
      expect(reused.status, JSON.stringify(body)).toBe(422);
      expect(reused.body.error).toEqual({
        code: "idempotency_key_reused",
        message: "This request key was already used for a different refund. Send a new key for a new refund.",
      });
    }
    expect((await refundRows(paid.payment.id)).map((r) => r.id)).toEqual([first.body.refundId]);
    expect(await stripeRefundsOf(paid)).toHaveLength(1);
    expect((await reloadTickets(paid.payment.id)).map((t) => t.status)).toEqual(["valid", "valid"]);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2000 });
  });

  it("makes two refunds for two requests without a key (asking twice means twice)", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);
    const [a, b] = [await post(paid.payment.id, { amount: 2000 }), await post(paid.payment.id, { amount: 2000 })];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.refundId).not.toBe(b.body.refundId);
    expect(await refundRows(paid.payment.id)).toHaveLength(2);
    expect(await stripeRefundsOf(paid)).toHaveLength(2);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ amountRefunded: 4000 });
  });

  it("keeps keys apart per payment: the same key on another payment is another refund", async () => {
    const paid = await createPaidPayment({ quantity: 1, unitAmount: 2500 });
    const other = await createPaidPayment({ quantity: 1, unitAmount: 2500, seller: { organization: paid.organization, event: paid.event, ticketType: paid.ticketType } });
    await actAs(paid.owner!);
    const a = await post(paid.payment.id, { amount: 1000 }, "shared");
    const b = await post(other.payment.id, { amount: 1000 }, "shared");
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.refundId).not.toBe(b.body.refundId);
    expect(await reloadPayment(other.payment.id)).toMatchObject({ amountRefunded: 1000 });
  });

  it("answers 400 for a blank or over-long key and changes nothing", async () => {
    const paid = await createPaidPayment({ viaStripe: false });
    await actAs(paid.owner!);
    for (const key of ["   ", "k".repeat(256)]) {
      const r = await post(paid.payment.id, { amount: 1000 }, key);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: "invalid_request", message: expect.stringContaining("Idempotency-Key") });
    }
    expect(await refundRows(paid.payment.id)).toHaveLength(0);
  });
});

describe("requestRefund with a request key", () => {
  it("returns a keyed full refund as it stands though nothing remains, and refuses other tickets under its key", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const first = await requestRefund(actorOf(paid), paid.payment.id, {}, undefined, "api:full");
    expect(first).toMatchObject({ amount: 5000, currency: "eur", status: "succeeded" });

    // Planning would now refuse (nothing left); the key finds the refund before planning.
    expect(await requestRefund(actorOf(paid), paid.payment.id, {}, undefined, "api:full")).toEqual(first);
    const reused = await refusal(requestRefund(actorOf(paid), paid.payment.id, { ticketIds: [paid.tickets[0]!.id] }, undefined, "api:full"));
    expect(reused).toMatchObject({ code: "idempotency_key_reused", status: 422 });

    expect((await refundRows(paid.payment.id)).map((r) => [r.id, r.requestKey])).toEqual([[first.refundId, "api:full"]]);
    expect(await stripeRefundsOf(paid)).toHaveLength(1);
  });
});
