import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { placeHold } from "@/db/queries/holds";
import { fulfil } from "@/lib/fulfilment/fulfil";
import { createUser } from "../factories";
import { createPendingPayment, payOnEmulator, reloadPayment } from "../factories/payments";
import { holdRequest } from "./support/purchase";

const days = (n: number) => n * 24 * 3600_000;

describe("a completed bank debit", () => {
  // A SEPA debit settles days after the buyer completed Checkout. Its places stay reserved until
  // then (as a shop keeps quota for a pending bank transfer), instead of lapsing with the 35-minute
  // checkout hold and being sold again, which would leave the buyer refunded as "sold out".
  it("keeps its places while it settles, past the checkout hold", async () => {
    const pending = await createPendingPayment({ quantity: 2, ticketType: { capacity: 2 } });
    await payOnEmulator(pending.session.id, { iban: "DE89370400440532013000" });
    expect((await fulfil(pending.session.id)).decision).toBe("processing");

    const processing = await reloadPayment(pending.payment.id);
    expect(processing.processingAt).toBeInstanceOf(Date);
    expect(processing.holdExpiresAt.getTime()).toBeGreaterThan(Date.now() + days(20));

    // Two hours on, long after the checkout hold would have ended, another buyer finds nothing left.
    const later = new Date(Date.now() + 2 * 3600_000);
    const other = await placeHold(await getDb(), holdRequest(pending.ticketType, (await createUser()).id, { now: later }));
    expect(other.created).toBeNull();
    expect(other.ticketType?.available).toBe(0);
    expect((await reloadPayment(pending.payment.id)).holdLapsed).toBe(false);
  });
});
