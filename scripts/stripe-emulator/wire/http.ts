import type { IncomingMessage, ServerResponse } from "node:http";
import { invalidRequest, StripeApiError } from "./errors";
import { parseForm, type FormObject } from "./form";

const maxBody = 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  // A declared length within the limit cannot be exceeded (Node's parser stops at it), so plain
  // listeners do: the async iterator's machinery (promises, end-of-stream tracking) was a visible
  // share of the emulator's CPU per request. Bodies without a length, or declaring more than the
  // limit, keep the iterator, and with it how an oversized body is refused.
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) <= maxBody) return readDeclaredBody(req);
  return readBodyIterating(req);
}

function readDeclaredBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let ended = false;
    req.on("data", (chunk: Buffer) => {
      if (first === undefined) first = chunk;
      else (chunks ??= [first]).push(chunk);
    });
    req.on("end", () => {
      ended = true;
      resolve(chunks ? Buffer.concat(chunks).toString("utf8") : (first?.toString("utf8") ?? ""));
    });
    req.on("error", reject);
    // The iterator's answer to a request that closes before its end (an aborted upload).
    req.on("close", () => {
      if (!ended) reject(Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" }));
    });
  });
}

async function readBodyIterating(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) throw invalidRequest("Request body too large.", { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Form bodies (what Stripe speaks, and what HTML forms send) or JSON (the control API's curl examples). */
export function parseBody(req: IncomingMessage, body: string): FormObject {
  return parseBodyText(body, isJsonBody(req));
}

export function isJsonBody(req: IncomingMessage): boolean {
  return (req.headers["content-type"] ?? "").includes("application/json");
}

/** What `parseBody` makes of a body, given whether its request declared JSON. */
export function parseBodyText(body: string, json: boolean): FormObject {
  if (body.trim() === "") return {};
  if (json) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return jsonToForm(parsed as Record<string, unknown>);
    } catch {
      // fall through
    }
    throw invalidRequest("Invalid JSON body: expected an object.");
  }
  return parseForm(body);
}

function jsonToForm(value: Record<string, unknown>): FormObject {
  const out: FormObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) out[k] = v.map((x) => (x && typeof x === "object" ? jsonToForm(x as Record<string, unknown>) : String(x)));
    else if (typeof v === "object") out[k] = jsonToForm(v as Record<string, unknown>);
    else out[k] = String(v);
  }
  return out;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, toJsonText(body), headers);
}

/** Pretty-printed, as Stripe's API answers. */
export function toJsonText(body: unknown): string {
  return JSON.stringify(body, null, 2);
}

export function sendJsonText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, "cache-control": "no-store" });
  res.end();
}

export function sendError(res: ServerResponse, error: StripeApiError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { error: error.body }, headers);
}

/**
 * Any test-mode secret key is accepted (`Bearer sk_test_…`, or curl's `-u sk_test_…:`); live
 * keys and anything else answer 401 as Stripe does.
 */
export function authenticate(req: IncomingMessage): void {
  const header = req.headers.authorization ?? "";
  let key: string | undefined;
  if (header.startsWith("Bearer ")) key = header.slice(7).trim();
  else if (header.startsWith("Basic ")) key = Buffer.from(header.slice(6), "base64").toString("utf8").split(":")[0];
  if (!key) {
    throw invalidRequest(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      { status: 401 },
    );
  }
  if (!/^(sk|rk)_test_\w+$/.test(key)) {
    const masked = key.length > 8 ? `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : key;
    throw invalidRequest(`Invalid API Key provided: ${masked}. The Stripe emulator accepts test mode secret keys only (sk_test_…).`, {
      status: 401,
    });
  }
}
