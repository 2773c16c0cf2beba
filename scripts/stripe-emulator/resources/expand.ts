import type { EmulatorContext } from "../context";
import { snapshot } from "../store";
import { invalidRequest } from "../wire/errors";
import { paginate } from "./list";

type Json = Record<string, unknown>;

/**
 * `expand[]`: replace ids with the objects they name (`payment_intent`, `payment_intent.latest_charge`,
 * `charge`, …) and add a session's `line_items` list. Expanding works on a copy, so stored objects
 * keep ids; with nothing to expand the stored object itself is returned — for serializing at once.
 */
export function expandObject<T extends object>(ctx: EmulatorContext, object: T, paths: string[]): T {
  if (paths.length === 0) return object;
  const out = snapshot(object) as unknown as Json;
  for (const path of paths) {
    const parts = path.split(".");
    if (parts.length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property. Property: ${path}`, { param: "expand" });
    expandPath(ctx, out, parts, path);
  }
  return out as unknown as T;
}

function expandPath(ctx: EmulatorContext, target: Json, parts: string[], full: string): void {
  const [head, ...rest] = parts;
  if (!head) return;
  if (head === "line_items" && target.object === "checkout.session") {
    const record = ctx.store.sessions[String(target.id)];
    if (!record) return;
    target.line_items = paginate(snapshot(record.lineItems), {}, `/v1/checkout/sessions/${String(target.id)}/line_items`);
    return;
  }
  const value = target[head];
  if (value === null) return;
  if (typeof value === "string") {
    const resolved = lookup(ctx, value);
    if (!resolved) throw invalidRequest(`This property cannot be expanded (${full}).`, { param: "expand" });
    target[head] = snapshot(resolved);
  } else if (typeof value !== "object" || value === undefined) {
    throw invalidRequest(`This property cannot be expanded (${full}).`, { param: "expand" });
  }
  if (rest.length > 0) expandPath(ctx, target[head] as Json, rest, full);
}

function lookup(ctx: EmulatorContext, id: string): object | undefined {
  const s = ctx.store;
  if (id.startsWith("pi_")) return s.paymentIntents[id];
  if (id.startsWith("ch_")) return s.charges[id];
  if (id.startsWith("re_")) return s.refunds[id];
  if (id.startsWith("dp_")) return s.disputes[id];
  if (id.startsWith("cs_")) return s.sessions[id]?.session;
  return undefined;
}
