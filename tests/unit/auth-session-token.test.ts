import { describe, expect, it } from "vitest";
import { decodeSessionToken, encodeSessionToken } from "@/lib/auth/session-token";

const secret = "unit-test-secret-0123456789abcdef0123456789";
const salt = "authjs.session-token";
const now = new Date("2030-03-01T00:00:00Z");

describe("session token codec", () => {
  const token = encodeSessionToken({ payload: { sub: "user-1", email: "a@b.example", name: "A" }, secret, salt, maxAgeSeconds: 60, now });

  it("round-trips the payload with issue and expiry times", () => {
    expect(decodeSessionToken({ token, secret, salt, now })).toEqual({
      sub: "user-1",
      email: "a@b.example",
      name: "A",
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 60,
    });
  });

  it("does not show the payload in the clear", () => {
    expect(Buffer.from(token.split(".")[2]!, "base64url").toString("latin1")).not.toContain("a@b.example");
  });

  it("refuses expired, tampered, foreign and malformed tokens", () => {
    expect(decodeSessionToken({ token, secret, salt, now: new Date(now.getTime() + 60_000) })).toBeNull();
    const [v, iv, body, tag] = token.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(decodeSessionToken({ token: [v, iv, flipped.toString("base64url"), tag].join("."), secret, salt, now })).toBeNull();
    expect(decodeSessionToken({ token, secret: `${secret}x`, salt, now })).toBeNull();
    expect(decodeSessionToken({ token, secret, salt: "__Secure-authjs.session-token", now })).toBeNull();
    for (const bad of [undefined, "", "v1.a.b", "v2.a.b.c", "not a token at all"]) {
      expect(decodeSessionToken({ token: bad, secret, salt, now })).toBeNull();
    }
  });

  it("opens tokens made with an older secret while secrets rotate", () => {
    expect(decodeSessionToken({ token, secret: ["a-newer-secret-0123456789abcdef0123", secret], salt, now })?.sub).toBe("user-1");
  });

  it("remembers a decoded token without letting a caller change it or outlive its expiry", () => {
    const first = decodeSessionToken({ token, secret, salt, now })!;
    first.sub = "someone-else";
    expect(decodeSessionToken({ token, secret, salt, now })?.sub).toBe("user-1");
    expect(decodeSessionToken({ token, secret, salt, now: new Date(now.getTime() + 59_000) })?.sub).toBe("user-1");
    expect(decodeSessionToken({ token, secret, salt, now: new Date(now.getTime() + 60_000) })).toBeNull();
  });
});
