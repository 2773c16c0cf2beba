import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorContext } from "./context";
import { handleHostedPage } from "./pages/hosted";
import { expireDueSessions } from "./resources/checkout-sessions";
import { createEvent } from "./resources/events";
import { settleDuePayments } from "./resources/payments";
import { processDueRefunds } from "./resources/refunds";
import { handleApi } from "./routes/api";
import { handleControl } from "./routes/control";
import { loadState, saveState } from "./state-file";
import { Clock, emptyStore } from "./store";
import { WebhookDelivery } from "./webhooks/delivery";
import { invalidRequest } from "./wire/errors";
import { sendError } from "./wire/http";

export interface StripeEmulatorOptions {
  port?: number;
  host?: string;
  /** Base of `session.url` (the hosted page); defaults to the emulator's own URL. */
  publicUrl?: string;
  webhookSecret: string;
  /** Where events go (round-robin across several); empty: events are recorded, not sent. */
  webhookUrls: string[];
  /** Load state from this file on start and save it on close. */
  stateFile?: string;
  /** Seconds between delivery attempts after each failure; its length bounds the retries. */
  retrySchedule?: number[];
  log?: (line: string) => void;
  /** Emulated seconds until a bank debit settles (default 120). */
  settleDelaySeconds?: number;
  /** Per-attempt webhook timeout (default 10 s, as Stripe's). */
  deliveryTimeoutMs?: number;
  /** How often the background timer checks the emulator clock (default 250 ms). */
  tickMs?: number;
}

export interface StripeEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Resolves when no webhook delivery is queued or in flight (scheduled retries do not count). */
  idle(): Promise<void>;
}

// Compressed from Stripe's three days of retries to under a minute of real time.
export const defaultRetrySchedule = [1, 2, 5, 10, 30];

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const log = options.log ?? (() => {});
  const host = options.host ?? "127.0.0.1";
  let store = emptyStore();
  const saved = options.stateFile ? loadState(options.stateFile) : undefined;
  if (saved) store = saved.store;
  const clock = new Clock(() => ctx.store);
  const delivery = new WebhookDelivery({
    urls: options.webhookUrls,
    secret: options.webhookSecret,
    clock,
    retrySchedule: options.retrySchedule ?? defaultRetrySchedule,
    timeoutMs: options.deliveryTimeoutMs ?? 10_000,
    log,
  });
  if (saved) delivery.importState({ deliveries: saved.deliveries }, saved.store.events);

  const server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 12111, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  const publicUrl = (options.publicUrl ?? url).replace(/\/$/, "");

  const ctx: EmulatorContext = {
    store,
    clock,
    publicUrl,
    settleDelaySeconds: options.settleDelaySeconds ?? 120,
    emit(type, object, request = null) {
      const event = createEvent(ctx.store, clock.nowSeconds(), type, object, request, delivery.enabled ? 1 : 0);
      delivery.enqueue(event);
      return event;
    },
    log,
  };

  const tick = () => {
    try {
      expireDueSessions(ctx);
      settleDuePayments(ctx);
      processDueRefunds(ctx);
      delivery.retryDue();
    } catch (error) {
      log(`clock tick failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const reset = () => {
    ctx.store = emptyStore();
    delivery.reset();
  };
  // Real time moves the emulator clock too: sessions expire and bank debits settle on their own.
  const timer = setInterval(tick, options.tickMs ?? 250);
  timer.unref();

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? "/", url);
    try {
      // Due work first, so a read never shows a session that should already have expired.
      tick();
      if (requestUrl.pathname.startsWith("/v1/")) return await handleApi(ctx, req, res, requestUrl);
      if (requestUrl.pathname === "/_emulator" || requestUrl.pathname.startsWith("/_emulator/")) {
        return await handleControl({ ctx, delivery, tick, reset }, req, res, requestUrl);
      }
      if (requestUrl.pathname.startsWith("/c/pay/")) return await handleHostedPage(ctx, tick, req, res, requestUrl);
      sendError(res, invalidRequest(`Unrecognized request URL (${req.method}: ${requestUrl.pathname}).`, { status: 404 }));
    } catch (error) {
      log(`internal error on ${req.method} ${requestUrl.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: "An unexpected error occurred in the Stripe emulator." } }));
    }
  }

  log(`listening on ${url}; ${options.webhookUrls.length > 0 ? `delivering events to ${options.webhookUrls.join(", ")}` : "not delivering events"}`);
  let closed = false;
  return {
    url,
    port,
    idle: () => delivery.idle(),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (options.stateFile) {
        saveState(options.stateFile, { version: 1, store: ctx.store, ...delivery.exportState() });
        log(`state saved to ${options.stateFile}`);
      }
    },
  };
}
