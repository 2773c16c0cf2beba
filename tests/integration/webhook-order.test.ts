import { describe, expect, it } from "vitest";
import { getStripe } from "@/lib/stripe/client";
import { createPendingPayment, payOnEmulator, paymentState, retrieveSession, sendEvent } from "../factories/payments";

type Step = "completed" | "refund.created" | "charge.refunded" | "expired";
const inOrder: Step[] = ["completed", "refund.created", "charge.refunded", "expired"];

/** Every permutation of the four deliveries (Stripe guarantees no order at all). */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/**
 * A paid payment with a partial refund made on Stripe, whose events then arrive in `order`. The
 * app's records start at "pending": nothing has been delivered yet.
 */
async function runScenario(order: Step[]) {
  const { payment, session } = await createPendingPayment({ quantity: 2 });
  await payOnEmulator(session.id);
  const paidSession = await retrieveSession(session.id);
  const intent = paidSession.payment_intent as string;
  const refund = await getStripe().refunds.create({ payment_intent: intent, amount: 1000 });
  const charge = await getStripe().charges.retrieve((await getStripe().paymentIntents.retrieve(intent)).latest_charge as string);
  const objects: Record<Step, [string, object]> = {
    completed: ["checkout.session.completed", paidSession],
    "refund.created": ["refund.created", refund],
    "charge.refunded": ["charge.refunded", charge],
    // Out-of-order and stale: an `expired` for a session that completed must not touch the payment.
    expired: ["checkout.session.expired", { ...paidSession, status: "expired" }],
  };
  for (const step of order) {
    const [type, object] = objects[step];
    expect((await sendEvent(type, object)).status).toBe(200);
  }
  const { receipts, refunds, ...state } = await paymentState(payment.id);
  return { ...state, receipts: receipts.length, refunds: refunds.map((r) => r.replace(/re_\w+/, "re")) };
}

describe("events in any order", () => {
  it("reach the same final state as in-order delivery, for every permutation", async () => {
    const expected = await runScenario(inOrder);
    expect(expected).toMatchObject({
      status: "partially_refunded",
      amountRefunded: 1000,
      tickets: ["valid", "valid"],
      receipts: 1,
      refunds: ["1000:succeeded:re"],
    });
    const others = permutations(inOrder).filter((p) => p.join() !== inOrder.join());
    const states = await Promise.all(others.map((order) => runScenario(order)));
    states.forEach((state, i) => expect({ order: others[i], state }).toEqual({ order: others[i], state: expected }));
  });
});
