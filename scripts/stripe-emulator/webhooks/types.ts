/** What the control API shows about webhook deliveries, and how chaos changes them. */
export interface Chaos {
  /** Extra copies of each event, delivered at the same time as the original. */
  duplicates: number;
  /** Deliver each batch of events (those one action created) in random order. */
  shuffle: boolean;
  /** Wait this long before each attempt. */
  delayMs: number;
  /** Sign with a timestamp older than the SDK's 300 s tolerance. */
  staleSignature: boolean;
  /** Sign with the wrong secret. */
  badSignature: boolean;
}

export const normalChaos: Chaos = { duplicates: 0, shuffle: false, delayMs: 0, staleSignature: false, badSignature: false };

export interface DeliveryAttempt {
  at: string;
  url: string;
  status: number | null;
  error?: string;
  durationMs: number;
  signature: "valid" | "stale" | "bad";
}

export interface Delivery {
  id: string;
  eventId: string;
  type: string;
  duplicate: boolean;
  url: string | null;
  attempts: number;
  statusCodes: (number | null)[];
  status: "pending" | "succeeded" | "retrying" | "failed";
  /** Emulator-clock time (ms) of the next retry. */
  nextAttemptAt: number | null;
  log: DeliveryAttempt[];
}
