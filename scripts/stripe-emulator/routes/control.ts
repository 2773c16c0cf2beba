import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext } from "../context";
import { parseMajorAmount } from "../resources/currency";
import { closeDispute, openDispute } from "../resources/disputes";
import { payCheckoutSession, type PaymentInput } from "../resources/payments";
import { createRefund, failRefund } from "../resources/refunds";
import type { Chaos, WebhookDelivery } from "../webhooks/delivery";
import { invalidParam, invalidRequest, noSuchResource, StripeApiError } from "../wire/errors";
import type { FormObject } from "../wire/form";
import { parseBody, readBody, redirect, sendError, sendHtml, sendJson } from "../wire/http";
import { optionalFlag, optionalInteger, optionalString } from "../wire/params";
import { renderDashboard } from "../pages/dashboard";

export interface ControlDeps {
  ctx: EmulatorContext;
  delivery: WebhookDelivery;
  /** Runs everything that is due on the emulator clock (expiry, settlement, retries). */
  tick(): void;
  reset(): void;
}

/** `/_emulator/…`: drive the emulator from tests, scripts and the dashboard page. No API key needed. */
export async function handleControl(deps: ControlDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { ctx, delivery } = deps;
  const method = req.method ?? "GET";
  const path = url.pathname.replace(/\/$/, "") || "/";
  const fromForm = (req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded") && (req.headers.accept ?? "").includes("text/html");
  try {
    const params = method === "POST" ? parseBody(req, await readBody(req)) : {};
    let m: RegExpExecArray | null;
    if (method === "GET" && path === "/_emulator") return sendHtml(res, 200, renderDashboard(ctx, delivery, url.searchParams.get("notice")));
    if (method === "GET" && path === "/_emulator/health") {
      return sendJson(res, 200, { ok: true, now: ctx.clock.nowSeconds(), clockOffsetSeconds: ctx.store.clockOffsetMs / 1000, webhookUrls: delivery.enabled });
    }
    if (method === "POST" && (m = /^\/_emulator\/checkout\/sessions\/([\w]+)\/pay$/.exec(path))) {
      const result = payCheckoutSession(ctx, m[1]!, readPaymentInput(params));
      deps.tick();
      if (result.outcome === "declined") return sendJson(res, 402, { error: result.error.body, outcome: "declined", session: result.session });
      return sendJson(res, 200, { outcome: result.outcome, session: result.session });
    }
    if (method === "POST" && path === "/_emulator/clock/advance") {
      const seconds = optionalInteger(params.seconds, "seconds");
      if (seconds === undefined || seconds < 0) throw invalidParam("seconds", "seconds must be a whole number ≥ 0.");
      ctx.clock.advance(seconds);
      deps.tick();
      return sendJson(res, 200, clockState(ctx));
    }
    if (method === "GET" && path === "/_emulator/clock") return sendJson(res, 200, clockState(ctx));
    if (method === "POST" && (m = /^\/_emulator\/charges\/([\w]+)\/dispute$/.exec(path))) {
      const inquiry = optionalFlag(params.inquiry, "inquiry");
      const dispute = openDispute(ctx, m[1]!, { amount: optionalInteger(params.amount, "amount"), reason: optionalString(params.reason, "reason"), inquiry });
      return sendJson(res, 200, dispute);
    }
    if (method === "POST" && (m = /^\/_emulator\/disputes\/([\w]+)\/close$/.exec(path))) {
      return sendJson(res, 200, closeDispute(ctx, m[1]!, optionalString(params.status, "status") ?? ""));
    }
    if (method === "POST" && (m = /^\/_emulator\/refunds\/([\w]+)\/fail$/.exec(path))) {
      return sendJson(res, 200, failRefund(ctx, m[1]!));
    }
    if (method === "POST" && (m = /^\/_emulator\/payment_intents\/([\w]+)\/refund$/.exec(path))) {
      return dashboardRefund(deps, m[1]!, params, fromForm, res);
    }
    if (method === "POST" && path === "/_emulator/webhooks/chaos") {
      delivery.chaos = readChaos(params);
      return sendJson(res, 200, { chaos: delivery.chaos });
    }
    if (method === "GET" && path === "/_emulator/deliveries") {
      if (url.searchParams.get("wait") === "true") await delivery.idle();
      const event = url.searchParams.get("event");
      const type = url.searchParams.get("type");
      const data = delivery.deliveries.filter((d) => (!event || d.eventId === event) && (!type || d.type === type));
      return sendJson(res, 200, { object: "list", data, chaos: delivery.chaos });
    }
    if (method === "POST" && path === "/_emulator/reset") {
      deps.reset();
      return sendJson(res, 200, { ok: true });
    }
    throw invalidRequest(`Unknown control endpoint ${method} ${path}.`, { status: 404 });
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    if (fromForm) return redirect(res, `/_emulator/?notice=${encodeURIComponent(error.message)}`);
    sendError(res, error);
  }
}

function readPaymentInput(params: FormObject): PaymentInput {
  const email = optionalString(params.email, "email");
  const iban = optionalString(params.iban, "iban");
  if (iban) return { kind: "iban", iban, email };
  const card = optionalString(params.card, "card");
  if (!card) throw invalidParam("card", 'Send {"card": "4242424242424242"} or {"iban": "DE89370400440532013000"}.', "parameter_missing");
  return { kind: "card", number: card, email, expMonth: optionalInteger(params.exp_month, "exp_month"), expYear: optionalInteger(params.exp_year, "exp_year") };
}

function readChaos(params: FormObject): Chaos {
  const bool = (name: string) => optionalFlag(params[name], name);
  const duplicates = optionalInteger(params.duplicates, "duplicates") ?? 0;
  const delayMs = optionalInteger(params.delayMs, "delayMs") ?? 0;
  if (duplicates < 0 || duplicates > 10) throw invalidParam("duplicates", "duplicates must be between 0 and 10.");
  if (delayMs < 0 || delayMs > 60_000) throw invalidParam("delayMs", "delayMs must be between 0 and 60000.");
  return { duplicates, shuffle: bool("shuffle"), delayMs, staleSignature: bool("staleSignature"), badSignature: bool("badSignature") };
}

function clockState(ctx: EmulatorContext) {
  return { now: ctx.clock.nowSeconds(), offsetSeconds: ctx.store.clockOffsetMs / 1000 };
}

/** A refund made "in Stripe's dashboard": the app did not ask for it and learns of it by webhook. */
function dashboardRefund(deps: ControlDeps, paymentIntentId: string, params: FormObject, fromForm: boolean, res: ServerResponse): void {
  const pi = deps.ctx.store.paymentIntents[paymentIntentId];
  if (!pi) throw noSuchResource("payment_intent", paymentIntentId);
  let amount: number | undefined;
  const major = optionalString(params.amount_major, "amount_major")?.trim();
  if (major) {
    amount = parseMajorAmount(major, pi.currency);
    if (amount === undefined || amount <= 0) throw invalidParam("amount_major", `"${major}" is not an amount in ${pi.currency.toUpperCase()}.`);
  } else amount = optionalInteger(params.amount, "amount");
  const reason = optionalString(params.reason, "reason") as "requested_by_customer" | "duplicate" | "fraudulent" | undefined;
  const refund = createRefund(deps.ctx, { paymentIntent: paymentIntentId, amount, reason: reason || undefined }, null);
  if (fromForm) return redirect(res, `/_emulator/?notice=${encodeURIComponent(`Refund ${refund.id} created.`)}`);
  sendJson(res, 200, refund);
}
