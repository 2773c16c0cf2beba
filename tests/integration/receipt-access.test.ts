import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { getReceipt } from "@/lib/receipts/get-receipt";
import { getStripe } from "@/lib/stripe/client";
import { addMember, createOrganization, createUser } from "../factories";
import { createPaidPayment, createPendingPayment, sendEvent } from "../factories/payments";

async function expectNotFound(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("not_found");
  expect((error as AppError).status).toBe(404);
}

describe("getReceipt (GET /api/payments/{paymentId}/receipt)", () => {
  it("returns the receipt JSON to the buyer", async () => {
    const { payment, buyer, organization, event, ticketType } = await createPaidPayment({ quantity: 2 });
    const receipt = await getReceipt(payment.id, buyer.id);
    expect(receipt).toMatchObject({
      receiptNumber: expect.stringMatching(/^RCP-\d{4}-\d{4}-[0-9A-F]{8}$/),
      paymentId: payment.id,
      status: "succeeded",
      currency: ticketType.currency,
      amountTotal: ticketType.price * 2,
      amountRefunded: 0,
      issuedAt: expect.any(String),
      organization: { id: organization.id, name: organization.name },
      event: { id: event.id, title: event.title, startsAt: event.startsAt.toISOString() },
      buyer: { email: buyer.email, name: buyer.name },
      items: [{ ticketType: ticketType.name, quantity: 2, unitAmount: ticketType.price, amount: ticketType.price * 2 }],
      refunds: [],
    });
    expect(receipt.tickets).toHaveLength(2);
    expect(receipt.tickets[0]).toEqual({ id: expect.any(String), code: expect.any(String), status: "valid" });
  });

  it("returns it to any member of the payment's organization, staff included", async () => {
    const { payment, organization } = await createPaidPayment();
    const staff = await createUser();
    await addMember(organization.id, staff.id, "staff");
    expect((await getReceipt(payment.id, staff.id)).paymentId).toBe(payment.id);
  });

  it("answers 404 to another organization's member, to other buyers, and for unknown or malformed ids", async () => {
    const { payment } = await createPaidPayment();
    const otherOrganization = await createOrganization();
    const otherOwner = await createUser();
    await addMember(otherOrganization.id, otherOwner.id, "owner");
    await expectNotFound(getReceipt(payment.id, otherOwner.id));
    await expectNotFound(getReceipt(payment.id, (await createUser()).id));
    await expectNotFound(getReceipt(crypto.randomUUID(), otherOwner.id));
    await expectNotFound(getReceipt("not-a-uuid", otherOwner.id));
  });

  it("has no receipt before the payment succeeds", async () => {
    const { payment, buyer } = await createPendingPayment();
    await expectNotFound(getReceipt(payment.id, buyer.id));
  });

  it("shows refunds with amount, status and date while the snapshot stays as issued", async () => {
    const { payment, buyer } = await createPaidPayment({ quantity: 2 });
    const before = await getReceipt(payment.id, buyer.id);
    const refund = await getStripe().refunds.create({ payment_intent: payment.stripePaymentIntentId!, amount: 500 });
    await sendEvent("refund.created", refund);
    const after = await getReceipt(payment.id, buyer.id);
    expect(after).toMatchObject({ status: "partially_refunded", amountRefunded: 500, receiptNumber: before.receiptNumber });
    expect(after.refunds).toEqual([{ id: expect.any(String), amount: 500, status: "succeeded", createdAt: expect.any(String) }]);
    expect(after.items).toEqual(before.items);
    expect(after.issuedAt).toBe(before.issuedAt);
  });
});
