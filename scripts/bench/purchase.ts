// npm run bench:purchase — purchases per second and latency at 50 and 200 concurrent buyers next to
// the health route measured in the same run, buyers arriving steadily at the throughput target, then a
// flash sale (2,000 buyers, 100 tickets).
// Prints numbers; asserts nothing about timing. Ports: BENCH_PORT (3400), BENCH_STRIPE_EMULATOR_PORT (12400).
import { and, eq, sql } from "drizzle-orm";
import { eventPayments } from "@/db/schema";
import { startBenchApp, machineLoad } from "./lib/app";
import { formatCpu, withCpu, type CpuUse } from "./lib/cpu";
import { seedEvents } from "./lib/catalogue";
import { formatResult, healthBaseline, runLoad, type LoadResult } from "./lib/load";
import { runPaced } from "./lib/paced";
import { seedBuyers, signInAll } from "./lib/users";
import { runScript } from "../lib/run-script";

const port = Number(process.env.BENCH_PORT ?? 3400);
const emulatorPort = Number(process.env.BENCH_STRIPE_EMULATOR_PORT ?? 12400);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// Enough that no buyer and event pair meets a third time within a run, even on a fast machine
// (see `purchase` below).
const buyerCount = 1000;
const eventCount = 100;
const flashBuyers = 2000;
const flashTickets = 100;

runScript(async () => {
  console.log(`[bench] load before: ${machineLoad()}`);
  const app = await startBenchApp({ port, emulatorPort });
  try {
    const catalogue = await seedEvents(app.db, eventCount, { capacity: 10_000_000 });
    const [flash] = await seedEvents(app.db, 1, { capacity: flashTickets, maxPerOrder: 1 });
    const buyerEmails = await seedBuyers(app.db, buyerCount, "buyer");
    const flashEmails = await seedBuyers(app.db, flashBuyers, "flash");
    console.log(`[bench] signing in ${buyerCount + flashBuyers} buyers through Auth.js…`);
    const buyers = await signInAll(app.baseUrl, buyerEmails);
    const flashCookies = await signInAll(app.baseUrl, flashEmails);

    // Request n buys one ticket of event n%100 for buyer ⌊n/100⌋%1000: concurrent buyers spread over
    // many events (a flash sale on one type comes later), and a buyer and event pair meets again
    // only every 100,000 requests, so nobody reaches the two-open-checkouts limit (a third meeting:
    // 200,000 requests). With 200 buyers a fast run (~950 purchases/s) got there within the run at
    // 35 % and answered 1,313 of its purchases with a cheap 409 instead of a Checkout Session.
    let counter = 0;
    const purchase = () => {
      const n = counter++;
      const target = catalogue[n % eventCount]!;
      return {
        method: "POST" as const,
        path: `/api/events/${target.eventId}/tickets/purchase`,
        headers: { cookie: buyers[Math.floor(n / eventCount) % buyerCount]!, "content-type": "application/json" },
        body: JSON.stringify({ ticketTypeId: target.ticketTypeId, quantity: 1 }),
      };
    };

    console.log("[bench] warming up…");
    await healthBaseline(app.baseUrl, 50, 3);
    await runLoad({ label: "warm-up", baseUrl: app.baseUrl, connections: 50, duration: 3, next: purchase });

    // The health route is measured right before and right after each purchase run and the two
    // averaged: this machine's speed drifts by tens of percent within minutes, and a baseline
    // taken only before would compare purchases with a different machine.
    const results: { baseline: Measured; purchase: Measured }[] = [];
    for (const connections of [50, 200]) {
      const measureHealth = async () => {
        await settle();
        const health = await withCpu(app.pids, () => healthBaseline(app.baseUrl, connections, seconds / 2));
        console.log(formatResult(health));
        return health;
      };
      const before = await measureHealth();
      await settle();
      const bought = await withCpu(app.pids, () =>
        runLoad({ label: "POST …/tickets/purchase", baseUrl: app.baseUrl, connections, duration: seconds, next: purchase }),
      );
      console.log(formatResult(bought));
      const after = await measureHealth();
      results.push({ baseline: { ...after, rps: (before.rps + after.rps) / 2 }, purchase: bought });
    }
    // Closed loop, 200 connections each sending again the instant it is answered, latency is
    // queueing (Little's law: 200 in flight at R per second wait 200/R seconds on average), so a p99
    // under 250 ms would need ~1,000 purchases/s — more than the health route itself manages (a bare
    // node:http server doing 1 ms of work per request shows p99 ≈ 2.7 s there too). The latency
    // target is therefore measured as it is meant: buyers arriving steadily at the throughput target
    // (35% of this run's health baseline at 200 connections), up to 200 of them in flight at once —
    // and, for where the latency bends, at 25% and 30% too.
    const paceBaseline = results[1]!.baseline;
    const pacedRuns: { share: number; rate: number; result: Measured }[] = [];
    for (const share of [0.25, 0.3, 0.35]) {
      const rate = Math.round(share * paceBaseline.rps);
      await settle();
      const result = await withCpu(app.pids, () =>
        runPaced({ label: `paced ${rate} purchases/s`, baseUrl: app.baseUrl, connections: 200, duration: seconds, rate, next: purchase }),
      );
      console.log(formatResult(result));
      pacedRuns.push({ share, rate, result });
    }

    await settle();
    console.log(`[bench] flash sale: ${flashBuyers} buyers, ${flashTickets} tickets…`);
    let next = 0;
    const started = Date.now();
    let firstSoldOutAt: number | undefined;
    const sale = await runLoad({
      label: "flash sale",
      baseUrl: app.baseUrl,
      connections: 200,
      amount: flashBuyers,
      next: () => ({
        method: "POST",
        path: `/api/events/${flash!.eventId}/tickets/purchase`,
        headers: { cookie: flashCookies[next++ % flashBuyers]!, "content-type": "application/json" },
        body: JSON.stringify({ ticketTypeId: flash!.ticketTypeId, quantity: 1 }),
      }),
      onResponse: (status) => {
        if (status === 409 && firstSoldOutAt === undefined) firstSoldOutAt = Date.now();
      },
    });
    console.log(formatResult(sale));
    const [held] = await app.db
      .select({ tickets: sql<number>`coalesce(sum(${eventPayments.quantity}), 0)::int`, last: sql<Date>`max(${eventPayments.createdAt})` })
      .from(eventPayments)
      .where(and(eq(eventPayments.ticketTypeId, flash!.ticketTypeId), eq(eventPayments.status, "pending")));
    const soldOutSeconds = held?.last ? (new Date(held.last).getTime() - started) / 1000 : NaN;
    const fiveHundreds = Object.entries(sale.statuses).filter(([code]) => code.startsWith("5")).reduce((a, [, n]) => a + n, 0);

    console.log("\n== bench:purchase ==");
    for (const { baseline, purchase: p } of results) {
      console.log(
        `c=${p.connections} closed loop: purchase ${p.rps.toFixed(0)} req/s = ${((100 * p.rps) / baseline.rps).toFixed(0)}% of health ${baseline.rps.toFixed(0)} req/s (mean of before and after; target ≥35%); p50 ${p.p50} ms, p99 ${p.p99} ms`,
      );
      console.log(`  purchases: ${formatCpu(p.cpu)}`);
      console.log(`  health (after): ${formatCpu(baseline.cpu)}`);
    }
    for (const { share, rate, result } of pacedRuns) {
      console.log(
        `c≤200 arriving at ${(100 * share).toFixed(0)}% of health ${paceBaseline.rps.toFixed(0)} req/s: ${result.rps.toFixed(0)} of ${rate} purchases/s offered served with p50 ${result.p50} ms, p99 ${result.p99} ms${share === 0.35 ? " (target < 250 ms)" : ""}, statuses ${JSON.stringify(result.statuses)}${result.errors ? `, errors ${result.errors}` : ""}`,
      );
      console.log(`  ${formatCpu(result.cpu)}`);
    }
    console.log(
      `flash sale: ${held?.tickets ?? 0} of ${flashTickets} tickets held in ${soldOutSeconds.toFixed(2)} s = ${((held?.tickets ?? 0) / soldOutSeconds).toFixed(0)} tickets/s (target ≥100); first "sold out" after ${firstSoldOutAt ? ((firstSoldOutAt - started) / 1000).toFixed(2) : "—"} s; all ${flashBuyers} answered in ${sale.seconds.toFixed(2)} s`,
    );
    console.log(`flash sale: oversold ${Math.max(0, (held?.tickets ?? 0) - flashTickets)} (must be 0), 5xx ${fiveHundreds} (must be 0), statuses ${JSON.stringify(sale.statuses)}`);
    console.log(`load: ${machineLoad()}`);
  } finally {
    await app.stop();
  }
});

/** A run's numbers with the CPU each process spent per request (see lib/cpu.ts). */
type Measured = LoadResult & { cpu: CpuUse | undefined };

/**
 * A pause between runs: autocannon stops sending at its deadline but the app still owes answers
 * to the requests in flight (up to 200, about a second of work), which would otherwise land on
 * the next run's clock.
 */
function settle(ms = 2_000) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
