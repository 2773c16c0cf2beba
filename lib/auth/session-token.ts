import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * The session cookie's codec, given to Auth.js as `jwt.encode`/`jwt.decode` and used directly by
 * the guards. Auth.js's default (JWE via WebCrypto) derives its key with HKDF on every call and
 * Auth.js re-encodes the cookie on every `auth()`; here the key is derived once per secret and
 * the token is AES-256-GCM (authenticated encryption) from node:crypto, so reading a session is
 * one decrypt. Tampered, foreign or expired tokens decode to null.
 */
const version = "v1";
const keys = new Map<string, Buffer>();

function keyFor(secret: string, salt: string): Buffer {
  const id = `${salt}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, salt, `boxoffice session token (${salt})`, 32));
    keys.set(id, key);
  }
  return key;
}

export type SessionPayload = Record<string, unknown> & { sub?: string; email?: string | null; name?: string | null };

export function encodeSessionToken(options: {
  payload: SessionPayload;
  secret: string | string[];
  salt: string;
  maxAgeSeconds: number;
  now?: Date;
}): string {
  const secret = Array.isArray(options.secret) ? options.secret[0]! : options.secret;
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const body = Buffer.from(JSON.stringify({ ...options.payload, iat, exp: iat + options.maxAgeSeconds }), "utf8");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret, options.salt), iv);
  cipher.setAAD(Buffer.from(version));
  const ciphertext = Buffer.concat([cipher.update(body), cipher.final()]);
  return [version, iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

// A buyer sends the same cookie with every request: remember what a token decoded to, so a
// busy session pays for one decrypt, not one per request. Keyed by the exact token, salt and
// secrets; expiry is still checked on every read. Bounded: cleared whenever it fills.
const decoded = new Map<string, SessionPayload & { exp: number }>();
const maxDecoded = 10_000;

export function decodeSessionToken(options: {
  token: string | undefined;
  secret: string | string[];
  salt: string;
  now?: Date;
}): SessionPayload | null {
  if (!options.token) return null;
  const key = `${options.salt}\u0000${JSON.stringify(options.secret)}\u0000${options.token}`;
  let payload = decoded.get(key);
  if (!payload) {
    const opened = openSessionToken(options.token, options.secret, options.salt);
    if (!opened) return null;
    if (decoded.size >= maxDecoded) decoded.clear();
    decoded.set(key, opened);
    payload = opened;
  }
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  // A copy: Auth.js callbacks may change the token they are given.
  return payload.exp > nowSeconds ? { ...payload } : null;
}

/** Decrypts and authenticates a token; null when no secret opens it or it carries no expiry. */
function openSessionToken(token: string, secrets: string | string[], salt: string): (SessionPayload & { exp: number }) | null {
  const parts = token.split(".");
  if (parts.length !== 4 || parts[0] !== version) return null;
  const [, iv, ciphertext, tag] = parts as [string, string, string, string];
  // Several secrets: the first is used for new tokens, the others still open older ones (rotation).
  for (const secret of Array.isArray(secrets) ? secrets : [secrets]) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", keyFor(secret, salt), Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(version));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      const body = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]);
      const payload = JSON.parse(body.toString("utf8")) as SessionPayload & { exp?: unknown };
      return typeof payload.exp === "number" ? (payload as SessionPayload & { exp: number }) : null;
    } catch {
      // Wrong key or tampered token: try the next secret.
    }
  }
  return null;
}
