import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { buyTickets } from "@/app/events/[slug]/actions";
import { POST as purchase } from "@/app/api/events/[eventId]/tickets/purchase/route";
import { POST as signUpRoute } from "@/app/api/auth/sign-up/route";
import { GET as exportReceipts } from "@/app/organizer/receipts/export/route";
import { getDb } from "@/db/client";
import { eventPayments, stripeEvents, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getPublicEventBySlug } from "@/lib/events/catalogue";
import { receiptQuerySchema } from "@/lib/organizer/receipt-query";
import { listReceipts } from "@/lib/organizer/receipts";
import { check } from "@/lib/validation";
import { createSellingEvent, createUser } from "../factories";
import { actAs, createPaidPayment, jsonRequest } from "../factories/organizer";
import { sendEvent } from "../factories/payments";

vi.mock("next/headers", async () => (await import("../factories/next-request")).nextHeadersMock);
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

// Input that passes a loose check but that Postgres cannot take (a NUL character, an integer past
// int4, a date outside its calendar) must be a clear 400, never a 500 from inside a query.
describe("input Postgres cannot take", () => {
  beforeEach(() => actAs(undefined));

  it("the purchase API answers 400 for a quantity past any order and a NUL in the ticket type, holding nothing", async () => {
    const { event, ticketType } = await createSellingEvent();
    await actAs(await createUser());
    const call = async (body: unknown) => {
      const response = await purchase(jsonRequest(`/api/events/${event.id}/tickets/purchase`, body), {
        params: Promise.resolve({ eventId: event.id }),
      } as never);
      return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
    };

    const huge = await call({ ticketTypeId: ticketType.id, quantity: 3_000_000_000 });
    expect(huge.status).toBe(400);
    expect(huge.body.error.code).toBe("invalid_quantity");
    const nul = await call({ ticketType: `${ticketType.name}\u0000`, quantity: 1 });
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({ code: "validation_failed", message: expect.stringContaining("ticketType") });
    expect(await (await getDb()).select().from(eventPayments).where(eq(eventPayments.ticketTypeId, ticketType.id))).toEqual([]);
  });

  it("sign-up answers 400 for a NUL in the name and creates no account", async () => {
    const email = `nul.${crypto.randomUUID().slice(0, 8)}@test.example`;
    const response = await signUpRoute(jsonRequest("/api/auth/sign-up", { email, password: "longenough1", name: "A\u0000B" }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    expect(await (await getDb()).select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it("receipt filters and page links Postgres cannot read are refused, not run", async () => {
    const paid = await createPaidPayment({ viaStripe: false });
    const orgId = paid.organization.id;
    for (const bad of [{ from: "0000-01-01" }, { to: "9999-12-31" }, { q: "a\u0000" }]) {
      expect(check(receiptQuerySchema, bad).ok).toBe(false);
    }
    const cursor = (text: string) => Buffer.from(text).toString("base64url");
    for (const bad of [
      cursor(`1|${crypto.randomUUID()}`),
      cursor(`2026-02-30T00:00:00.000000Z|${crypto.randomUUID()}`),
      cursor(`2026-01-01T00:00:00.000000Z|${"-".repeat(36)}`),
    ]) {
      await expect(listReceipts(orgId, { cursor: bad })).rejects.toBeInstanceOf(AppError);
    }
    // A real page link still works.
    expect((await listReceipts(orgId, { cursor: cursor(`2999-01-01T00:00:00.000000Z|${crypto.randomUUID()}`) })).rows).toHaveLength(1);

    await actAs(paid.owner!);
    for (const search of ["to=9999-12-31", "from=0000-01-01", "q=a%00"]) {
      const response = await exportReceipts(new NextRequest(`http://localhost:3999/organizer/receipts/export?${search}`));
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).not.toContain("text/csv");
    }
  });

  it("answers an event page address with a NUL as an event that does not exist", async () => {
    await expect(getPublicEventBySlug("jazz\u0000night")).rejects.toMatchObject({ code: "not_found", status: 404 });
  });

  it("stores a signed event whose text holds a NUL instead of failing it on every retry", async () => {
    const delivered = await sendEvent("customer.updated", { id: `cus_${crypto.randomUUID().slice(0, 8)}`, object: "customer", name: "A\u0000B" });
    expect(delivered.status).toBe(200);
    const [stored] = await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, delivered.eventId));
    expect((stored?.payload as { data: { object: { name: string } } }).data.object.name).toBe("A\ufffdB");
  });
});

describe("the Buy form sent again", () => {
  it("says the checkout has ended when the purchase it made expired, instead of 'already completed'", async () => {
    const { event, ticketType } = await createSellingEvent();
    await actAs(await createUser());
    const form = new FormData();
    for (const [key, value] of Object.entries({ eventId: event.id, slug: event.slug, ticketTypeId: ticketType.id, quantity: "1", requestToken: crypto.randomUUID() })) {
      form.append(key, value);
    }
    // The first submit redirects to Checkout (next/navigation's redirect throws).
    await expect(buyTickets({}, form)).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
    await (await getDb()).update(eventPayments).set({ status: "expired" }).where(eq(eventPayments.ticketTypeId, ticketType.id));

    expect(await buyTickets({}, form)).toEqual({ error: "That checkout has ended. Reload the page to start a new purchase." });
  });
});
