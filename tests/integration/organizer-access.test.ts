import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { refunds } from "@/db/schema";
import { refundAction, retryRefundAction } from "@/app/organizer/payments/[paymentId]/actions";
import PaymentPage from "@/app/organizer/payments/[paymentId]/page";
import { GET as exportReceipts } from "@/app/organizer/receipts/export/route";
import { getOrganizerOverview } from "@/lib/organizer/overview";
import { getPaymentDetails } from "@/lib/organizer/payment-details";
import { addMember, createUser } from "../factories";
import { actAs, createPaidPayment, reloadPayment } from "../factories/organizer";

// Pages and actions read the session and the chosen organization through next/headers.
vi.mock("next/headers", async () => (await import("../factories/next-request")).nextHeadersMock);
// Outside a Next request there is no cache to revalidate.
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

/** next/navigation's notFound() throws an error whose digest carries the 404. */
async function expectNotFound(promise: Promise<unknown>) {
  await expect(promise).rejects.toMatchObject({ digest: expect.stringContaining("404") });
}

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

async function refundCount(paymentId: string) {
  return (await (await getDb()).select().from(refunds).where(eq(refunds.paymentId, paymentId))).length;
}

describe("organizer pages and actions are sealed per organization", () => {
  beforeEach(() => actAs(undefined));

  it("shows a payment to its organization and 404s it for anyone else's", async () => {
    const paid = await createPaidPayment({ viaStripe: false });
    const stranger = await createPaidPayment({ viaStripe: false });
    const page = (paymentId: string) => PaymentPage({ params: Promise.resolve({ paymentId }) } as never);

    await actAs(paid.owner!);
    await expect(page(paid.payment.id)).resolves.toBeTruthy();
    await expectNotFound(page(stranger.payment.id));
    await expectNotFound(page(crypto.randomUUID()));
    await expectNotFound(page("garbage"));

    await expect(getPaymentDetails(stranger.organization.id, paid.payment.id)).rejects.toMatchObject({ status: 404 });
  });

  it("follows the organization the member chose, and never one they do not belong to", async () => {
    const a = await createPaidPayment({ viaStripe: false });
    const b = await createPaidPayment({ viaStripe: false });
    await actAs(a.owner!, { organizationId: b.organization.id }); // a forged cookie: not a member of b
    await expect(PaymentPage({ params: Promise.resolve({ paymentId: a.payment.id }) } as never)).resolves.toBeTruthy();
    await expectNotFound(PaymentPage({ params: Promise.resolve({ paymentId: b.payment.id }) } as never));
  });

  it("refunds through the form in two steps: review shows the amount, confirm refunds", async () => {
    const paid = await createPaidPayment({ quantity: 2, unitAmount: 2500 });
    await actAs(paid.owner!);
    const review = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "tickets", ticketIds: [paid.tickets[0]!.id], releasePlaces: "on", reason: "requested_by_customer" }));
    expect(review).toMatchObject({ step: "confirm", amountLabel: "€25.00", voids: 1 });
    expect(await refundCount(paid.payment.id)).toBe(0);

    const done = await refundAction(review, form({ paymentId: paid.payment.id, intent: "confirm", input: review.step === "confirm" ? review.input : "" }));
    expect(done).toMatchObject({ step: "edit", notice: expect.stringContaining("€25.00") });
    expect(await reloadPayment(paid.payment.id)).toMatchObject({ status: "partially_refunded", amountRefunded: 2500 });
  });

  it("reads typed amounts in the currency's units", async () => {
    const paid = await createPaidPayment({ viaStripe: false, quantity: 1, unitAmount: 2500 });
    await actAs(paid.owner!);
    const euros = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "amount", amount: "12.5" }));
    expect(euros).toMatchObject({ step: "confirm", amountLabel: "€12.50" });
    const cents = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "amount", amount: "12.505" }));
    expect(cents).toMatchObject({ step: "edit", error: expect.any(String) });
    const tooMuch = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "amount", amount: "30" }));
    expect(tooMuch).toMatchObject({ step: "edit", error: expect.stringContaining("€25.00") });
  });

  it("refuses staff and 404s other organizations in the refund actions, writing nothing", async () => {
    const paid = await createPaidPayment({ viaStripe: false });
    const staff = await createUser();
    await addMember(paid.organization.id, staff.id, "staff");
    await actAs(staff);
    const refused = await refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "confirm", input: "{}" }));
    expect(refused).toMatchObject({ step: "edit", error: expect.stringContaining("owners and admins") });

    const stranger = await createPaidPayment({ viaStripe: false });
    await actAs(stranger.owner!);
    await expectNotFound(refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "confirm", input: "{}" })));
    await expectNotFound(refundAction({ step: "edit" }, form({ paymentId: paid.payment.id, intent: "review", mode: "full" })));
    await expectNotFound(retryRefundAction(form({ paymentId: paid.payment.id, refundId: crypto.randomUUID() })));
    expect(await refundCount(paid.payment.id)).toBe(0);
  });

  it("keeps other organizations out of the overview and the CSV export", async () => {
    const mine = await createPaidPayment({ viaStripe: false });
    const theirs = await createPaidPayment({ viaStripe: false });
    const overview = await getOrganizerOverview(mine.organization.id);
    expect(overview.events.map((e) => e.id)).toEqual([mine.event.id]);
    expect(overview.events[0]).toMatchObject({ sold: 2, capacity: 100, gross: 5000, refunded: 0, net: 5000 });
    expect(overview.latestPayments.map((p) => p.id)).toEqual([mine.payment.id]);

    await actAs(mine.owner!);
    const response = await exportReceipts(new NextRequest("http://localhost:3999/organizer/receipts/export"));
    expect(response.headers.get("content-type")).toContain("text/csv");
    const csv = await response.text();
    expect(csv).toContain(mine.receipt.receiptNumber);
    expect(csv).not.toContain(theirs.receipt.receiptNumber);
  });
});
