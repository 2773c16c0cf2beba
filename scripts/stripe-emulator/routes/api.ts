import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext, RequestInfo } from "../context";
import { createCheckoutSession, expireCheckoutSession, getSessionRecord, listLineItems } from "../resources/checkout-sessions";
import { retrieveDispute } from "../resources/disputes";
import { listEvents, retrieveEvent } from "../resources/events";
import { expandObject } from "../resources/expand";
import { paginate } from "../resources/list";
import { createRefund, listRefunds, readRefundParams, retrieveRefund } from "../resources/refunds";
import { randomId } from "../store";
import { invalidRequest, noSuchResource, StripeApiError } from "../wire/errors";
import { parseForm, type FormObject } from "../wire/form";
import { authenticate, isJsonBody, parseBodyText, readBody, sendError, sendJsonText, toJsonText } from "../wire/http";
import { checkIdempotency, rememberResponse } from "../wire/idempotency";
import { optionalString, readExpand, rejectUnknown } from "../wire/params";

interface Call {
  params: FormObject;
  match: string[];
  request: RequestInfo;
}
type Handler = (ctx: EmulatorContext, call: Call) => object;
interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  handler: Handler;
}

const id = "([A-Za-z0-9_]+)";
const expanded = (ctx: EmulatorContext, object: object, params: FormObject) => expandObject(ctx, object, readExpand(params));
const onlyExpand = (params: FormObject) => rejectUnknown(params, ["expand"]);
/** A stored object by id, or Stripe's resource_missing error (objects with no resource module of their own). */
function found<T>(table: Record<string, T>, type: string, id: string): T {
  const object = table[id];
  if (!object) throw noSuchResource(type, id);
  return object;
}

/** The slice of Stripe's REST API the app uses (see README "Stripe emulator"). */
const routes: Route[] = [
  {
    method: "POST",
    pattern: /^\/v1\/checkout\/sessions$/,
    handler: (ctx, { params }) => expanded(ctx, createCheckoutSession(ctx, params).session, params),
  },
  {
    method: "GET",
    pattern: /^\/v1\/checkout\/sessions$/,
    handler: (ctx, { params }) => {
      const pi = optionalString(params.payment_intent, "payment_intent");
      const sessions = Object.values(ctx.store.sessions)
        .map((r) => r.session)
        .filter((s) => !pi || s.payment_intent === pi)
        .reverse();
      return paginate(sessions, params, "/v1/checkout/sessions");
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/checkout/sessions/${id}$`),
    handler: (ctx, { params, match }) => (onlyExpand(params), expanded(ctx, getSessionRecord(ctx, match[0]!).session, params)),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/checkout/sessions/${id}/line_items$`),
    handler: (ctx, { params, match }) => listLineItems(ctx, match[0]!, params),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/v1/checkout/sessions/${id}/expire$`),
    handler: (ctx, { params, match, request }) => (onlyExpand(params), expanded(ctx, expireCheckoutSession(ctx, match[0]!, request), params)),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/payment_intents/${id}$`),
    handler: (ctx, { params, match }) => (onlyExpand(params), expanded(ctx, found(ctx.store.paymentIntents, "payment_intent", match[0]!), params)),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/charges/${id}$`),
    handler: (ctx, { params, match }) => (onlyExpand(params), expanded(ctx, found(ctx.store.charges, "charge", match[0]!), params)),
  },
  {
    method: "POST",
    pattern: /^\/v1\/refunds$/,
    handler: (ctx, { params, request }) => expanded(ctx, createRefund(ctx, readRefundParams(params), request), params),
  },
  {
    method: "GET",
    pattern: /^\/v1\/refunds$/,
    handler: (ctx, { params }) => listRefunds(ctx, params),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/refunds/${id}$`),
    handler: (ctx, { params, match }) => (onlyExpand(params), expanded(ctx, retrieveRefund(ctx, match[0]!), params)),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/disputes/${id}$`),
    handler: (ctx, { params, match }) => (onlyExpand(params), expanded(ctx, retrieveDispute(ctx, match[0]!), params)),
  },
  {
    method: "GET",
    pattern: /^\/v1\/events$/,
    handler: (ctx, { params }) => listEvents(ctx, params),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/events/${id}$`),
    handler: (ctx, { params, match }) => (onlyExpand(params), retrieveEvent(ctx, match[0]!)),
  },
];

export async function handleApi(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const requestId = randomId("req_", 14);
  const headers = { "request-id": requestId, "stripe-version": String(req.headers["stripe-version"] ?? "2026-10-28.endive") };
  const method = req.method ?? "GET";
  try {
    authenticate(req);
    const body = method === "POST" ? await readBody(req) : "";
    const json = isJsonBody(req);
    const params = method === "POST" ? parseBodyText(body, json) : parseBodyFromQuery(url);
    let route: Route | undefined;
    let match: string[] = [];
    for (const r of routes) {
      const m = r.pattern.exec(url.pathname);
      if (m && r.method === method) {
        route = r;
        match = m.slice(1);
        break;
      }
    }
    if (!route) {
      throw invalidRequest(`Unrecognized request URL (${method}: ${url.pathname}). The Stripe emulator implements only the endpoints listed in the README.`, {
        status: 404,
      });
    }
    const idempotencyKey = method === "POST" ? firstHeader(req.headers["idempotency-key"]) : undefined;
    if (idempotencyKey) {
      const replay = checkIdempotency(ctx.store, idempotencyKey, method, url.pathname, { params, body, json });
      if (replay) return sendJsonText(res, replay.status, replay.text, { ...headers, "idempotent-replayed": "true", "idempotency-key": idempotencyKey });
    }
    let status = 200;
    let responseBody: unknown;
    try {
      responseBody = route.handler(ctx, { params, match, request: { id: requestId, idempotencyKey: idempotencyKey ?? null } });
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      status = error.status;
      responseBody = { error: error.body };
    }
    // Serialized at once: handlers may answer with a stored object, which later requests change.
    const text = toJsonText(responseBody);
    if (idempotencyKey) rememberResponse(ctx.store, idempotencyKey, method, url.pathname, { params, body, json }, status, text);
    sendJsonText(res, status, text, idempotencyKey ? { ...headers, "idempotency-key": idempotencyKey } : headers);
  } catch (error) {
    if (error instanceof StripeApiError) return sendError(res, error, headers);
    ctx.log(`internal error on ${method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    sendError(res, new StripeApiError(500, { type: "api_error", message: "An unexpected error occurred in the Stripe emulator." }), headers);
  }
}

function parseBodyFromQuery(url: URL): FormObject {
  return parseForm(url.search.slice(1));
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
