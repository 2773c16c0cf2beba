import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { refunds } from "@/db/schema";
import { POST } from "@/app/api/payments/[paymentId]/refunds/route";
import { addMember, createUser } from "../factories";
import { actAs, createPaidPayment, jsonRequest, reloadPayment } from "../factories/organizer";

// Route handlers read the session from next/headers; the stand-in carries a real Auth.js cookie.
vi.mock("next/headers", async () => (await import("../factories/next-request")).nextHeadersMock);

interface ApiBody {
  error: { code: string; [field: string]: unknown };
  [field: string]: unknown;
}

async function post(paymentId: string, body: unknown) {
  const response = await POST(jsonRequest(`/api/payments/${paymentId}/refunds`, body), {
    params: Promise.resolve({ paymentId }),
  } as never);
  return { status: response.status, body: (await response.json()) as ApiBody };
}

async function refundCount(paymentId: string) {
  return (await (await getDb()).select().from(refunds).where(eq(refunds.paymentId, paymentId))).length;
}

describe("POST /api/payments/{paymentId}/refunds", () => {
  beforeEach(() => actAs(undefined));

  it("refunds for an owner and answers 201 {refundId, amount, status}", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);
    const { status, body } = await post(paid.payment.id, { amount: 1500, reason: "duplicate" });
    expect(status).toBe(201);
    expect(body).toEqual({ refundId: expect.any(String), amount: 1500, status: "succeeded" });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 1500 });
  });

  it("lets an admin refund tickets, and answers 409 with what remains when asked for too much", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const admin = await createUser();
    await addMember(paid.organization.id, admin.id, "admin");
    await actAs(admin);
    expect((await post(paid.payment.id, { ticketIds: [paid.tickets[0]!.id] })).status).toBe(201);
    const tooMuch = await post(paid.payment.id, { amount: 2501 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: "refund_exceeds_remaining", remaining: 2500 });
  });

  it("answers 401 when signed out, 403 to staff, 404 to other organizations and for unknown ids — and writes nothing", async () => {
    const paid = await createPaidPayment({ viaStripe: false });
    expect((await post(paid.payment.id, {})).status).toBe(401);

    const staff = await createUser();
    await addMember(paid.organization.id, staff.id, "staff");
    await actAs(staff);
    const forbidden = await post(paid.payment.id, {});
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("forbidden");

    const stranger = await createPaidPayment({ viaStripe: false });
    await actAs(stranger.owner!);
    const hidden = await post(paid.payment.id, {});
    const missing = await post(crypto.randomUUID(), {});
    const malformed = await post("not-a-payment", {});
    for (const r of [hidden, missing, malformed]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    // Another tenant's payment answers exactly like one that does not exist.
    expect(hidden.body).toEqual(missing.body);
    expect(await refundCount(paid.payment.id)).toBe(0);
  });

  it("answers 400 for bad input and changes nothing", async () => {
    const paid = await createPaidPayment({ viaStripe: false, quantity: 2 });
    const other = await createPaidPayment({ viaStripe: false });
    await actAs(paid.owner!);
    const bad = [
      { amount: 0 },
      { amount: -5 },
      { amount: 12.5 },
      { amount: "1000" },
      { amount: 1000, ticketIds: [paid.tickets[0]!.id] },
      { ticketIds: [] },
      { ticketIds: ["nope"] },
      { ticketIds: [other.tickets[0]!.id] },
      { reason: "because" },
      "{not json",
    ];
    for (const body of bad) {
      const r = await post(paid.payment.id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toMatch(/^(validation_failed|invalid_request)$/);
    }
    expect(await refundCount(paid.payment.id)).toBe(0);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
  });

  it("answers 502 payment_provider_unavailable when Stripe refuses", async () => {
    const paid = await createPaidPayment({ viaStripe: false });
    await actAs(paid.owner!);
    const r = await post(paid.payment.id, {});
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("payment_provider_unavailable");
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
  });
});
