import type Stripe from "stripe";
import { randomId, type Clock } from "../store";
import { signPayload } from "./signing";
import { normalChaos, type Chaos, type Delivery } from "./types";

export { normalChaos, type Chaos, type Delivery, type DeliveryAttempt } from "./types";

export interface DeliveryOptions {
  urls: string[];
  secret: string;
  clock: Clock;
  /** Seconds to wait after the 1st, 2nd, … failed attempt; its length bounds the retries. */
  retrySchedule: number[];
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * Sends each event to the app as Stripe does: signed, one POST per event, retried with backoff on
 * a non-2xx answer or a timeout, a bounded number of times. With several URLs, attempts rotate
 * round-robin like a load balancer in front of several app instances.
 */
export class WebhookDelivery {
  deliveries: Delivery[] = [];
  chaos: Chaos = { ...normalChaos };
  private events = new Map<string, Stripe.Event>();
  private batch: Stripe.Event[] = [];
  private chain: Promise<void> = Promise.resolve();
  private inFlight = new Set<Promise<void>>();
  private nextUrl = 0;
  private generation = 0;

  constructor(private readonly options: DeliveryOptions) {}

  get enabled(): boolean {
    return this.options.urls.length > 0;
  }

  /** Queue an event; events emitted by one action go out together, in order, after it returns. */
  enqueue(event: Stripe.Event): void {
    if (!this.enabled) return;
    if (this.batch.length === 0) setImmediate(() => this.flush());
    this.batch.push(event);
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    if (this.chaos.shuffle) shuffle(batch);
    for (const event of batch) {
      this.events.set(event.id, event);
      const copies = [false, ...Array.from({ length: this.chaos.duplicates }, () => true)].map((duplicate) => this.newDelivery(event, duplicate));
      // First attempts go one event after another (so order is Stripe-like unless shuffled);
      // duplicates of one event go at the same time, as Stripe's occasional double sends do.
      this.chain = this.chain.then(() => Promise.all(copies.map((d) => this.track(this.attempt(d)))).then(() => undefined));
    }
  }

  private newDelivery(event: Stripe.Event, duplicate: boolean): Delivery {
    const delivery: Delivery = {
      id: randomId("dlv_"),
      eventId: event.id,
      type: event.type,
      duplicate,
      url: null,
      attempts: 0,
      statusCodes: [],
      status: "pending",
      nextAttemptAt: null,
      log: [],
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  /** Retries whose time has come on the emulator clock (called by the emulator's ticker). */
  retryDue(): void {
    const now = this.options.clock.nowMs();
    for (const d of this.deliveries) {
      if (d.status === "retrying" && d.nextAttemptAt !== null && d.nextAttemptAt <= now) {
        d.nextAttemptAt = null;
        d.status = "pending";
        void this.track(this.attempt(d));
      }
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const generation = this.generation;
    const event = this.events.get(delivery.eventId);
    if (!event) return;
    const chaos = this.chaos;
    if (chaos.delayMs > 0) await new Promise((r) => setTimeout(r, chaos.delayMs));
    if (generation !== this.generation) return;
    const url = this.options.urls[this.nextUrl++ % this.options.urls.length]!;
    const payload = JSON.stringify(event, null, 2);
    // Signed with the real time, as Stripe does: the receiver checks it against its own clock,
    // which knows nothing of the emulator's advanced clock.
    const wallSeconds = Math.floor(Date.now() / 1000);
    const signature = chaos.badSignature
      ? signPayload(payload, `${this.options.secret}_wrong`, wallSeconds)
      : signPayload(payload, this.options.secret, chaos.staleSignature ? wallSeconds - 600 : wallSeconds);
    const started = Date.now();
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": signature,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body: payload,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error && e.name === "TimeoutError" ? `timed out after ${this.options.timeoutMs} ms` : describeError(e);
    }
    if (generation !== this.generation) return;
    const durationMs = Date.now() - started;
    delivery.url = url;
    delivery.attempts += 1;
    delivery.statusCodes.push(status);
    delivery.log.push({
      at: new Date(started).toISOString(),
      url,
      status,
      durationMs,
      signature: chaos.badSignature ? "bad" : chaos.staleSignature ? "stale" : "valid",
      ...(error ? { error } : {}),
    });
    const ok = status !== null && status >= 200 && status < 300;
    const retryIn = this.options.retrySchedule[delivery.attempts - 1];
    if (ok) delivery.status = "succeeded";
    else if (retryIn !== undefined) {
      delivery.status = "retrying";
      delivery.nextAttemptAt = this.options.clock.nowMs() + retryIn * 1000;
    } else delivery.status = "failed";
    const result = ok ? String(status) : `${error ?? status}${retryIn !== undefined ? `, retry in ${retryIn}s` : ", giving up"}`;
    this.options.log(`webhook ${delivery.eventId} ${delivery.type}${delivery.duplicate ? " (duplicate)" : ""} → ${url}: ${result} (attempt ${delivery.attempts}, ${durationMs} ms)`);
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  /** Resolves when nothing is queued or in flight (retries that are scheduled do not count). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.batch.length > 0) await new Promise((r) => setImmediate(r));
      await this.chain;
      if (this.inFlight.size === 0 && this.batch.length === 0) return;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  reset(): void {
    this.generation++;
    this.deliveries = [];
    this.events.clear();
    this.batch = [];
    this.chaos = { ...normalChaos };
  }

  /** For the state file: deliveries and the events they carry. */
  exportState(): { deliveries: Delivery[] } {
    return { deliveries: this.deliveries };
  }

  importState(state: { deliveries?: Delivery[] }, events: Stripe.Event[]): void {
    this.deliveries = state.deliveries ?? [];
    for (const e of events) this.events.set(e.id, e);
    // Attempts that were in flight when the emulator stopped go out again at the next tick.
    for (const d of this.deliveries) {
      if (d.status === "pending") Object.assign(d, { status: "retrying", nextAttemptAt: 0 });
    }
  }
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? e.message;
  }
  return String(e);
}
