import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { eventPayments } from "@/db/schema";
import { receiptQuerySchema, type ReceiptQuery } from "@/lib/organizer/receipt-query";
import { listReceipts, toReceiptFilter } from "@/lib/organizer/receipts";
import { streamReceiptsCsv } from "@/lib/organizer/receipts-csv";
import { createEvent, createTicketType, createUser } from "../factories";
import { createPaidPayment } from "../factories/organizer";

type Paid = Awaited<ReturnType<typeof createPaidPayment>>;

const query = (input: Record<string, string | undefined> = {}): ReceiptQuery => receiptQuerySchema.parse(input);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("the organizer's receipts", () => {
  let first: Paid;
  const all: Paid[] = [];
  let otherEvent: Awaited<ReturnType<typeof createEvent>>;
  const ada = { email: "", name: "" };

  beforeAll(async () => {
    const base = Date.parse("2026-03-01T10:00:00Z");
    first = await createPaidPayment({ viaStripe: false, paidAt: new Date(base), quantity: 1 });
    all.push(first);
    const seller = { organization: first.organization, event: first.event, ticketType: first.ticketType };
    otherEvent = await createEvent(first.organization.id, { currency: "jpy", title: "Tokyo Night" });
    const yenType = await createTicketType(otherEvent, { price: 5000, currency: "jpy" });
    const adaUser = await createUser({ name: "Ada Lovelace", email: `ada.${crypto.randomUUID().slice(0, 8)}@test.example` });
    ada.email = adaUser.email;
    ada.name = adaUser.name!;
    // Seven receipts one day apart: 5 on the first event, 2 on the yen event; Ada bought two of them.
    for (let i = 1; i < 7; i++) {
      const onYen = i >= 5;
      all.push(
        await createPaidPayment({
          viaStripe: false,
          seller: onYen ? { organization: first.organization, event: otherEvent, ticketType: yenType } : seller,
          buyer: i === 2 || i === 5 ? adaUser : undefined,
          paidAt: new Date(base + i * 24 * 3600_000),
          quantity: 1 + (i % 3),
        }),
      );
    }
    // Same instant as another receipt: the cursor must still separate them (ties broken by id).
    all.push(await createPaidPayment({ viaStripe: false, seller, paidAt: new Date(base + 3 * 24 * 3600_000) }));
    await (await getDb()).update(eventPayments).set({ status: "partially_refunded", amountRefunded: 100 }).where(eq(eventPayments.id, all[3]!.payment.id));
    // Another organization's receipt, found by nothing here.
    await createPaidPayment({ viaStripe: false, buyer: adaUser, paidAt: new Date(base + 24 * 3600_000) });
  });

  const orgId = () => first.organization.id;

  it("lists newest first, with event, buyer, quantity and money", async () => {
    const { rows, nextCursor } = await listReceipts(orgId(), query());
    expect(rows).toHaveLength(all.length);
    expect(nextCursor).toBeUndefined();
    const issued = rows.map((r) => r.issuedAt.getTime());
    expect(issued).toEqual([...issued].sort((a, b) => b - a));
    const newest = rows[0]!;
    expect(newest.snapshot.event.title).toBe("Tokyo Night");
    expect(newest).toMatchObject({ currency: "jpy", status: "succeeded", amountRefunded: 0 });
  });

  it("pages with a cursor: every receipt exactly once, across ties and at exact page boundaries", async () => {
    for (const pageSize of [1, 2, 4, all.length - 1, all.length, all.length + 1]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listReceipts(orgId(), query({ cursor }), pageSize);
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.nextCursor;
        pages++;
        expect(page.rows.length).toBeLessThanOrEqual(pageSize);
      } while (cursor);
      expect(seen).toHaveLength(all.length);
      expect(new Set(seen).size).toBe(all.length);
      expect(pages).toBe(Math.max(1, Math.ceil(all.length / pageSize)));
    }
  });

  it("rejects a forged cursor with a 400", async () => {
    await expect(listReceipts(orgId(), query({ cursor: "bm9wZQ" }))).rejects.toMatchObject({ status: 400 });
  });

  it("searches by receipt number, buyer email and buyer name, case-insensitively, by prefix", async () => {
    const target = all[4]!;
    const byNumber = await listReceipts(orgId(), query({ q: target.receipt.receiptNumber.toLowerCase() }));
    expect(byNumber.rows.map((r) => r.id)).toEqual([target.receipt.id]);

    const byNumberPrefix = await listReceipts(orgId(), query({ q: target.receipt.receiptNumber.slice(0, -3) }));
    expect(byNumberPrefix.rows.map((r) => r.id)).toContain(target.receipt.id);

    const byEmail = await listReceipts(orgId(), query({ q: ada.email.toUpperCase() }));
    expect(byEmail.rows.map((r) => r.paymentId).sort()).toEqual([all[2]!.payment.id, all[5]!.payment.id].sort());

    const byName = await listReceipts(orgId(), query({ q: "ada LOVE" }));
    expect(byName.rows).toHaveLength(2);

    expect((await listReceipts(orgId(), query({ q: "nobody-by-this-name" }))).rows).toHaveLength(0);
  });

  it("filters by event, status and an inclusive date range, combined with search", async () => {
    expect((await listReceipts(orgId(), query({ event: otherEvent.id }))).rows).toHaveLength(2);
    const partial = await listReceipts(orgId(), query({ status: "partially_refunded" }));
    expect(partial.rows.map((r) => r.paymentId)).toEqual([all[3]!.payment.id]);
    // 2026-03-02 .. 2026-03-04 inclusive: days 1, 2, 3 (and the tie on day 3).
    const range = await listReceipts(orgId(), query({ from: "2026-03-02", to: "2026-03-04" }));
    expect(range.rows).toHaveLength(4);
    const adaOnYen = await listReceipts(orgId(), query({ q: ada.email, event: otherEvent.id }));
    expect(adaOnYen.rows.map((r) => r.paymentId)).toEqual([all[5]!.payment.id]);
  });

  it("rejects bad filters instead of ignoring them", () => {
    expect(receiptQuerySchema.safeParse({ status: "pending" }).success).toBe(false);
    expect(receiptQuerySchema.safeParse({ from: "yesterday" }).success).toBe(false);
    expect(receiptQuerySchema.safeParse({ event: "not-a-uuid" }).success).toBe(false);
    expect(receiptQuerySchema.safeParse({ q: "", event: "", status: "" }).success).toBe(true);
  });

  it("never shows another organization's receipts", async () => {
    const stranger = await createPaidPayment({ viaStripe: false });
    const mine = await listReceipts(orgId(), query({ q: stranger.receipt.receiptNumber }));
    expect(mine.rows).toHaveLength(0);
    const theirs = await listReceipts(stranger.organization.id, query());
    expect(theirs.rows.map((r) => r.id)).toEqual([stranger.receipt.id]);
  });

  it("exports the current filter as CSV with decimal amounts in the currency's units", async () => {
    const csv = await readAll(streamReceiptsCsv(toReceiptFilter(orgId(), query({ event: otherEvent.id }))));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "receipt_number,issued_at,payment_id,status,event,buyer_email,buyer_name,ticket_type,quantity,currency,amount_total,amount_refunded,amount_net",
    );
    expect(lines).toHaveLength(3);
    const yen = all[5]!;
    expect(lines).toContain(
      [
        yen.receipt.receiptNumber,
        yen.receipt.issuedAt.toISOString(),
        yen.payment.id,
        "succeeded",
        "Tokyo Night",
        ada.email,
        ada.name,
        yen.ticketType.name,
        String(yen.payment.quantity),
        "JPY",
        String(yen.payment.amountTotal),
        "0",
        String(yen.payment.amountTotal),
      ].join(","),
    );

    const euro = await readAll(streamReceiptsCsv(toReceiptFilter(orgId(), query({ status: "partially_refunded" }))));
    const row = euro.trimEnd().split("\r\n")[1]!.split(",");
    const total = all[3]!.payment.amountTotal;
    expect(row.slice(-4)).toEqual(["EUR", (total / 100).toFixed(2), "1.00", ((total - 100) / 100).toFixed(2)]);
  });

  it("streams exports larger than one batch without losing or repeating rows", async () => {
    const { organization, event, ticketType } = await createPaidPayment({ viaStripe: false, quantity: 1 });
    const seller = { organization, event, ticketType };
    const base = Date.parse("2026-05-01T00:00:00Z");
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => createPaidPayment({ viaStripe: false, seller, quantity: 1, paidAt: new Date(base + (i % 7) * 1000) })),
    );
    const csv = await readAll(streamReceiptsCsv(toReceiptFilter(organization.id, query()), 7));
    const numbers = csv.trimEnd().split("\r\n").slice(1).map((l) => l.split(",")[0]);
    expect(numbers).toHaveLength(31);
    expect(new Set(numbers).size).toBe(31);
  });
});
