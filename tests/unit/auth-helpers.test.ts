import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { clientIp } from "@/lib/auth/client-ip";
import { hashPassword, normalizeEmail, verifyPassword } from "@/lib/auth/password";
import { retryAfterFromCode, tryAgainMessage } from "@/lib/auth/rate-limit";
import { slugify } from "@/lib/organizations/create";

describe("callbackUrl after sign-in", () => {
  it("keeps same-origin paths", () => {
    expect(safeCallbackPath("/organizer/members?x=1#top")).toBe("/organizer/members?x=1#top");
  });
  it.each(["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", 42, undefined, "organizer"])(
    "falls back to / for %s",
    (value) => expect(safeCallbackPath(value)).toBe("/"),
  );
  it("keeps ordinary paths with query strings, normalised", () => {
    expect(safeCallbackPath("/events/spring-gala?ticket=vip&qty=2")).toBe("/events/spring-gala?ticket=vip&qty=2");
    expect(safeCallbackPath("/organizer/./receipts?page=2")).toBe("/organizer/receipts?page=2");
    expect(safeCallbackPath("/a/../events?x=1")).toBe("/events?x=1");
    expect(safeCallbackPath("/")).toBe("/");
  });
  // Dot segments, backslashes, encoded dots and stripped tabs/newlines only turn into "//" once
  // the URL is parsed, so the parsed path is what gets checked.
  it.each([
    "/.//evil.example",
    "/..//evil.example",
    "/a/..//evil.example",
    "/./\\evil.example",
    "/.\\/evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/a/%2e%2e//evil.example?x=1",
    "/\t/evil.example",
    "/\n/evil.example",
    "/./../..//evil.example/path",
  ])("falls back to / for %j, which parses to a protocol-relative URL", (value) => {
    expect(safeCallbackPath(value)).toBe("/");
    expect(safeCallbackPath(value, "/organizer")).toBe("/organizer");
  });
});

describe("client address for per-IP limits", () => {
  it("uses the right-most forwarded address (the one the nearest proxy saw)", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "1.1.1.1, 2.2.2.2" }))).toBe("2.2.2.2");
    expect(clientIp(new Headers({ "x-real-ip": "3.3.3.3" }))).toBe("3.3.3.3");
    expect(clientIp(new Headers())).toBeUndefined();
  });
});

describe("passwords", () => {
  it("hashes with scrypt and verifies only the same password", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horsE", hash)).toBe(false);
    expect(await verifyPassword("correct horse", "garbage")).toBe(false);
  });
  it("normalises emails", () => expect(normalizeEmail("  Ann@Example.COM ")).toBe("ann@example.com"));
});

describe("rate-limit messages", () => {
  it("round-trips the seconds through Auth.js's error code", () => {
    expect(retryAfterFromCode("rate_limited_42")).toBe(42);
    expect(retryAfterFromCode("credentials")).toBeUndefined();
    expect(retryAfterFromCode("rate_limited_<script>")).toBeUndefined();
    expect(tryAgainMessage(1)).toBe("Too many failed attempts. Try again in 1 second.");
    expect(tryAgainMessage(90)).toBe("Too many failed attempts. Try again in 90 seconds.");
  });
});

describe("organization slugs", () => {
  it("are lower-case ASCII words joined by dashes", () => {
    expect(slugify("Northwind Live!")).toBe("northwind-live");
    expect(slugify("Café Ünïcode & Co")).toBe("cafe-unicode-co");
    expect(slugify("東京")).toBe("organization");
  });
});
