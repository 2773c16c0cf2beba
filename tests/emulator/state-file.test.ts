import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sessionParams, startHarness } from "./support";

describe("state file", () => {
  it("saves state on close and loads it on start, so sessions and payments survive a restart", async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), "emulator-state-")), "stripe-emulator.json");
    const first = await startHarness({ stateFile });
    const session = await first.stripe.checkout.sessions.create(sessionParams());
    await first.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    await first.emulator.idle();
    await first.control("/_emulator/clock/advance", { seconds: 90 });
    const idempotent = sessionParams();
    const created = await first.stripe.checkout.sessions.create(idempotent, { idempotencyKey: "survives-restart" });
    await first.close();

    const second = await startHarness({ stateFile });
    try {
      const again = await second.stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
      expect(again).toMatchObject({ status: "complete", payment_status: "paid" });
      expect((await second.stripe.events.list({ type: "checkout.session.completed" })).data).toHaveLength(1);
      expect((await second.control<{ offsetSeconds: number }>("/_emulator/clock")).body.offsetSeconds).toBe(90);
      expect((await second.stripe.checkout.sessions.create(idempotent, { idempotencyKey: "survives-restart" })).id).toBe(created.id);
      const deliveries = await second.control<{ data: { status: string }[] }>("/_emulator/deliveries");
      expect(deliveries.body.data.map((d) => d.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
      // A new session on the hosted page uses the new emulator's URL.
      const fresh = await second.stripe.checkout.sessions.create(sessionParams());
      expect(fresh.url).toBe(`${second.emulator.url}/c/pay/${fresh.id}`);
    } finally {
      await second.close();
    }
  });
});
