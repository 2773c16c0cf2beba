import type Stripe from "stripe";
import type { EmulatorContext, EventObject, EventType, RequestInfo } from "../context";
import { noSuchResource } from "../wire/errors";
import type { FormObject } from "../wire/form";
import { paginate, readRange } from "./list";
import { optionalArray, optionalString } from "../wire/params";
import { randomId, snapshot, type Store } from "../store";

// The API version stripe-node 23 pins; events say which version rendered their objects.
export const apiVersion = "2026-10-28.endive";

export function createEvent<T extends EventType>(
  store: Store,
  created: number,
  type: T,
  object: EventObject<T>,
  request: RequestInfo | null,
  pendingWebhooks: number,
): Stripe.Event {
  // A snapshot: later changes to the object must not rewrite what the event said.
  const event = {
    id: randomId("evt_"),
    object: "event",
    api_version: apiVersion,
    created,
    data: { object: snapshot(object) },
    livemode: false,
    pending_webhooks: pendingWebhooks,
    request: request ? { id: request.id, idempotency_key: request.idempotencyKey } : { id: null, idempotency_key: null },
    type,
    // TypeScript cannot narrow the 270-member event union by a generic `T`; the signature above
    // already ties `object` to `type`.
  } as unknown as Extract<Stripe.Event, { type: T }>;
  store.events.push(event);
  return event;
}

export function retrieveEvent(ctx: EmulatorContext, id: string): Stripe.Event {
  const event = ctx.store.events.find((e) => e.id === id);
  if (!event) throw noSuchResource("event", id);
  return event;
}

/** `GET /v1/events`: newest first, filtered by `type` (with `*` wildcards), `types[]` and `created`. */
export function listEvents(ctx: EmulatorContext, params: FormObject) {
  const type = optionalString(params.type, "type");
  const types = optionalArray(params.types, "types")?.map(String);
  const created = readRange(params.created, "created");
  const matchesType = (t: string) => {
    if (types) return types.includes(t);
    if (!type) return true;
    if (!type.includes("*")) return t === type;
    const re = new RegExp(`^${type.split("*").map(escapeRegExp).join(".*")}$`);
    return re.test(t);
  };
  const events = [...ctx.store.events].reverse().filter((e) => matchesType(e.type) && created(e.created));
  return paginate(events, params, "/v1/events");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
