import { invalidParam, unknownParam, type StripeApiError } from "./errors";
import type { FormObject, FormValue } from "./form";

/** Readers for form parameters that fail with the error Stripe gives for the same mistake. */
export function rejectUnknown(params: FormObject, allowed: readonly string[], prefix = ""): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw unknownParam(prefix ? `${prefix}[${key}]` : key);
  }
}

export function optionalString(value: FormValue | undefined, param: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidParam(param, `Invalid string: ${describe(value)}`, "parameter_invalid_string");
  return value;
}

/** A yes/no control parameter: "true", "1" or "on" (JSON true arrives as "true") is yes. */
export function optionalFlag(value: FormValue | undefined, param: string): boolean {
  const text = optionalString(value, param);
  return text === "true" || text === "1" || text === "on";
}

export function optionalInteger(value: FormValue | undefined, param: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) {
    throw invalidParam(param, `Invalid integer: ${describe(value)}`, "parameter_invalid_integer");
  }
  return Number(value);
}

export function optionalObject(value: FormValue | undefined, param: string): FormObject | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParam(param, `Invalid object`);
  return value;
}

export function optionalArray(value: FormValue | undefined, param: string): FormValue[] | undefined {
  if (value === undefined || value === "") return undefined;
  if (!Array.isArray(value)) throw invalidParam(param, `Invalid array`);
  return value;
}

/** Stripe's metadata rules: at most 50 keys, keys up to 40 characters, values up to 500. */
export function readMetadata(value: FormValue | undefined, param: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (value === "") return {};
  const obj = optionalObject(value, param) ?? {};
  const keys = Object.keys(obj);
  if (keys.length > 50) throw invalidParam(param, "Metadata can have up to 50 keys.");
  const out: Record<string, string> = {};
  for (const key of keys) {
    const v = obj[key];
    if (key.length > 40) throw invalidParam(`${param}[${key}]`, "Metadata keys can be at most 40 characters long.");
    if (typeof v !== "string") throw invalidParam(`${param}[${key}]`, "Metadata values must be strings.");
    if (v.length > 500) throw invalidParam(`${param}[${key}]`, "Metadata values can have up to 500 characters.");
    if (v !== "") out[key] = v;
  }
  return out;
}

export function readExpand(params: FormObject): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v, i) => {
    if (typeof v !== "string") throw invalidParam(`expand[${i}]`, "Invalid string");
    return v;
  });
}

function describe(value: FormValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export type { StripeApiError };
