import type Stripe from "stripe";
import { Clock, type Store } from "./store";

export type EventType = Stripe.Event["type"];
export type EventObject<T extends EventType> = Extract<Stripe.Event, { type: T }>["data"]["object"];

/** The request that caused an event (Stripe puts it on the event; null for the buyer or the clock). */
export interface RequestInfo {
  id: string;
  idempotencyKey: string | null;
}

/** What every resource handler gets: the state, the clock and a way to emit events. */
export interface EmulatorContext {
  store: Store;
  readonly clock: Clock;
  readonly publicUrl: string;
  /** Emulated seconds between a bank debit and its settlement (or failure). */
  readonly settleDelaySeconds: number;
  emit<T extends EventType>(type: T, object: EventObject<T>, request?: RequestInfo | null): Stripe.Event;
  log(line: string): void;
}
