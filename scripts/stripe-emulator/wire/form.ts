/**
 * Stripe's wire format: `application/x-www-form-urlencoded` with bracketed keys, as stripe-node
 * writes them (`line_items[0][price_data][unit_amount]=1999`, `expand[0]=payment_intent`, and
 * `expand[]=…` from curl). Objects whose keys are all indices become arrays.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) setPath(root, splitKey(rawKey), value);
  return normalizeArrays(root) as FormObject;
}

function splitKey(key: string): string[] {
  const first = key.indexOf("[");
  if (first < 0) return [key];
  const parts = [key.slice(0, first)];
  const re = /\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key.slice(first)))) parts.push(m[1] ?? "");
  return parts;
}

function setPath(target: FormObject, parts: string[], value: string): void {
  let node: FormObject = target;
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    const last = i === parts.length - 1;
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

function normalizeArrays(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, normalizeArrays(value[k]!)] as const);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
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
