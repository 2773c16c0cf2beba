import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { refunds } from "@/db/schema";
import { refundAction, type RefundFormState } from "@/app/organizer/payments/[paymentId]/actions";
import { parseDecimalAmount } from "@/lib/refunds/form";
import { requestRefund } from "@/lib/refunds/request-refund";
import { getStripe } from "@/lib/stripe/client";
import { actAs, createPaidPayment, reloadPayment, reloadTickets } from "../factories/organizer";
import { emulatorControl, findEmulatorEvent, redeliver } from "../factories/payments";

// The payment page's form runs as a server action: it reads the session through next/headers.
vi.mock("next/headers", async () => (await import("../factories/next-request")).nextHeadersMock);
// Outside a Next request there is no cache to revalidate.
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

const confirmForm = (paymentId: string, review: RefundFormState) =>
  form({ paymentId, intent: "confirm", input: review.step === "confirm" ? review.input : "" });

async function refundRows(paymentId: string) {
  return (await getDb()).select().from(refunds).where(eq(refunds.paymentId, paymentId));
}

describe("the refund form's confirmation", () => {
  beforeEach(() => actAs(undefined));

  it("refuses a tampered confirmation whose note holds a NUL, refunding nothing", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);
    const review = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "full", releasePlaces: "on" }));
    expect(review.step).toBe("confirm");
    const confirmation = JSON.parse(review.step === "confirm" ? review.input : "{}") as { input: Record<string, unknown> };
    confirmation.input.note = "bad\u0000note";
    const tampered = await refundAction(review, form({ paymentId: paid.payment.id, intent: "confirm", input: JSON.stringify(confirmation) }));
    expect(tampered).toMatchObject({ step: "edit", error: "The confirmation was garbled; start the refund again." });
    expect(await refundRows(paid.payment.id)).toEqual([]);
  });

  it("refuses to refund more than was reviewed when a refund failed in between, and changes nothing", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    const actor = { organizationId: paid.organization.id, userId: paid.owner!.id };
    const { refundId } = await requestRefund(actor, paid.payment.id, { ticketIds: [paid.tickets[0]!.id] });
    await actAs(paid.owner!);

    // The organizer reviews "everything that remains": one ticket's worth.
    const review = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "full", releasePlaces: "on" }));
    expect(review).toMatchObject({ step: "confirm", amountLabel: "€25.00", voids: 1 });

    // Before they confirm, Stripe fails the first refund: its ticket and money come back.
    const [first] = await refundRows(paid.payment.id);
    expect(first!.id).toBe(refundId);
    await emulatorControl(`refunds/${first!.stripeRefundId}/fail`);
    expect((await redeliver(await findEmulatorEvent("refund.failed", (r) => r.id === first!.stripeRefundId))).status).toBe(200);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });

    const confirmed = await refundAction(review, confirmForm(paid.payment.id, review));

    expect(confirmed).toMatchObject({ step: "edit", error: expect.stringMatching(/changed since you reviewed/) });
    expect(confirmed).toMatchObject({ error: expect.stringContaining("€50.00") });
    expect((await refundRows(paid.payment.id)).map((r) => r.status)).toEqual(["failed"]);
    expect((await reloadTickets(paid.payment.id)).map((t) => t.status)).toEqual(["valid", "valid"]);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 0 });
    expect((await getStripe().refunds.list({ payment_intent: paid.payment.stripePaymentIntentId! })).data.map((r) => r.status)).toEqual(["failed"]);

    // Reviewed again, the new amount goes through.
    const again = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "full", releasePlaces: "on" }));
    expect(again).toMatchObject({ step: "confirm", amountLabel: "€50.00", voids: 2 });
    expect(await refundAction(again, confirmForm(paid.payment.id, again))).toMatchObject({ step: "edit", notice: expect.stringContaining("€50.00") });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "refunded", amountRefunded: 5000 });
  });

  it("makes one refund when the same confirmation is submitted twice, and shows it both times", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);
    const review = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "amount", amount: "20.00" }));
    expect(review).toMatchObject({ step: "confirm", amountLabel: "€20.00" });

    // A double click: the second press arrives while the first is still refunding.
    const [first, second] = await Promise.all([1, 2].map(() => refundAction(review, confirmForm(paid.payment.id, review))));
    // The browser's back button and the same confirmation sent again.
    const resubmitted = await refundAction({ step: "edit" }, confirmForm(paid.payment.id, review));

    for (const state of [first, second, resubmitted]) {
      expect(state).toMatchObject({ step: "edit", notice: expect.stringMatching(/^Refund of €20\.00: (pending|succeeded)\.$/) });
      expect(state).not.toHaveProperty("error");
    }
    expect(resubmitted).toEqual({ step: "edit", notice: "Refund of €20.00: succeeded." });
    expect((await refundRows(paid.payment.id)).map((r) => [r.amount, r.status])).toEqual([[2000, "succeeded"]]);
    expect(await getStripe().refunds.list({ payment_intent: paid.payment.stripePaymentIntentId! })).toMatchObject({ data: [{ amount: 2000 }] });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2000 });
  });

  it("makes a second refund of the same amount only after a second review", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);
    for (let i = 0; i < 2; i++) {
      const review = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "amount", amount: "20.00" }));
      expect(await refundAction(review, confirmForm(paid.payment.id, review))).toEqual({ step: "edit", notice: "Refund of €20.00: succeeded." });
    }
    expect(await refundRows(paid.payment.id)).toHaveLength(2);
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ amountRefunded: 4000 });
  });

  it("refuses a confirmation that does not carry what was reviewed", async () => {
    const paid = await createPaidPayment({ viaStripe: false, quantity: 1, unitAmount: 2500 });
    await actAs(paid.owner!);
    const bare = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "confirm", input: "{}" }));
    expect(bare).toMatchObject({ step: "edit", error: expect.stringMatching(/start the refund again/i) });
    expect(await refundRows(paid.payment.id)).toHaveLength(0);
  });
});

describe("amounts typed into the refund form", () => {
  beforeEach(() => actAs(undefined));

  it.each([
    ["12.50", "eur", 1250],
    ["12,50", "eur", 1250],
    ["0,99", "eur", 99],
    ["1,250", "eur", 125_000],
    ["12,505", "eur", 1_250_500],
    ["1,250.50", "eur", 125_050],
    ["1,234,567", "usd", 123_456_700],
    ["5000", "jpy", 5000],
    ["5,000", "jpy", 5000],
  ])("reads %s %s as %i minor units", (text, currency, minor) => {
    expect(parseDecimalAmount(text, currency)).toBe(minor);
  });

  it.each([
    ["12,5050", "eur"],
    ["12,5", "eur"],
    ["1,2,3", "eur"],
    ["1.250,50", "eur"],
    ["12,50", "jpy"],
    ["12,50.00", "eur"],
    ["12.5", "jpy"],
    ["12,", "eur"],
  ])("refuses %s %s", (text, currency) => {
    expect(() => parseDecimalAmount(text, currency)).toThrow(expect.objectContaining({ code: "validation_failed" }));
  });

  it("reviews a euro amount typed with a decimal comma as that amount", async () => {
    const paid = await createPaidPayment({ viaStripe: false, quantity: 1, unitAmount: 2500 });
    await actAs(paid.owner!);
    const review = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "amount", amount: "12,50" }));
    expect(review).toMatchObject({ step: "confirm", amountLabel: "€12.50" });
  });
});
