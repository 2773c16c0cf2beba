/**
 * Stripe's wire format: `application/x-www-form-urlencoded` with bracketed keys, as stripe-node
 * writes them (`line_items[0][price_data][unit_amount]=1999`, `expand[0]=payment_intent`, and
 * `expand[]=…` from curl). Objects whose keys are all indices become arrays.
 */
import { invalidRequest } from "./errors";

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/**
 * One pass over the body, decoding each pair as `URLSearchParams` does. The emulator parses a body
 * on every API call of a benchmark, on the app's machine, and iterating `URLSearchParams` (entry
 * arrays, then a nested copy to turn indexed objects into arrays) was a large part of its CPU.
 * Anything the fast path cannot decode exactly like `URLSearchParams` goes to it instead.
 */
export function parseForm(body: string): FormObject {
  return parseFast(body) ?? parseWithSearchParams(body);
}

function parseWithSearchParams(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) setPath(root, splitKey(rawKey), value);
  return normalizeArrays(root) as FormObject;
}

/** Undefined when a pair needs decoding that only `URLSearchParams` gets exactly right. */
function parseFast(body: string): FormObject | undefined {
  // URLSearchParams replaces lone surrogates first; such bodies are rare enough to leave to it.
  if (!body.isWellFormed()) return undefined;
  const root: FormObject = {};
  const length = body.length;
  let start = body.charCodeAt(0) === 0x3f /* ? */ ? 1 : 0; // URLSearchParams drops a leading "?"
  while (start < length) {
    let end = body.indexOf("&", start);
    if (end < 0) end = length;
    if (end > start) {
      const pair = body.slice(start, end);
      const eq = pair.indexOf("=");
      const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1));
      if (key === undefined || value === undefined) return undefined;
      setPath(root, splitKey(key), value);
    }
    start = end + 1;
  }
  return normalizeArrays(root) as FormObject;
}

/**
 * `+` is a space, then percent-decoding, in that order, as `URLSearchParams` does. Where
 * `decodeURIComponent` succeeds (every `%` escape valid, the bytes valid UTF-8) the two agree;
 * where it throws, `URLSearchParams` has repair rules of its own: undefined, so it gets the body.
 */
function decodeComponent(raw: string): string | undefined {
  const spaced = raw.includes("+") ? raw.replace(/\+/g, " ") : raw;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}

/** `a[b][c]` → ["a", "b", "c"]: the name, then the text of each bracket pair after it. */
function splitKey(key: string): string[] {
  const first = key.indexOf("[");
  if (first < 0) return [key];
  const parts = [key.slice(0, first)];
  // What /\[([^\]]*)\]/g finds: from each "[", up to the next "]"; text outside brackets is skipped.
  let open = first;
  while (open >= 0) {
    const close = key.indexOf("]", open + 1);
    if (close < 0) break;
    parts.push(key.slice(open + 1, close));
    open = key.indexOf("[", close + 1);
  }
  return parts;
}

const inherited = new Set(["__proto__", "constructor", "prototype"]);

function setPath(target: FormObject, parts: string[], value: string): void {
  let node: FormObject = target;
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    const last = i === parts.length - 1;
    // Written as plain properties, these would reach Object.prototype (every object in the process).
    if (inherited.has(part)) throw invalidRequest(`Received unknown parameter: ${parts.slice(0, i + 1).join(".")}`, { param: part });
    // `a[]=x` appends: give it the next free index.
    if (part === "") part = String(Object.keys(node).length);
    if (last) {
      node[part] = value;
      return;
    }
    const next = node[part];
    if (next === undefined || typeof next === "string" || Array.isArray(next)) node[part] = {};
    node = node[part] as FormObject;
  }
}

/**
 * Objects whose keys are all indices become arrays (ordered by index); other objects are changed
 * in place — they are fresh from `setPath`, so nothing else holds them, and copying them was
 * garbage for every request.
 */
function normalizeArrays(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  let allIndices = keys.length > 0;
  for (const k of keys) {
    value[k] = normalizeArrays(value[k]!);
    if (allIndices && !/^\d+$/.test(k)) allIndices = false;
  }
  if (!allIndices) return value;
  return keys
    .map((k) => [Number(k), value[k]!] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, v]) => v);
}

/** Stable text for comparing two requests' parameters (idempotency). */
export function canonicalParams(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalParams).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalParams(obj[k])}`)
    .join(",")}}`;
}
