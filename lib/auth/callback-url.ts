const origin = "http://boxoffice.invalid";

/**
 * Only same-origin paths are followed after sign-in ("/events/x", never "//evil.example" or
 * "https://evil.example"): no open redirect. The path is checked after parsing, because parsing
 * turns "/.//evil.example", "/a/..//evil.example" or "/./\evil.example" into "//evil.example".
 */
export function safeCallbackPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length > 2000) return fallback;
  if (!isLocalPath(value)) return fallback;
  try {
    const url = new URL(value, origin);
    if (url.origin !== origin) return fallback;
    const path = `${url.pathname}${url.search}${url.hash}`;
    return isLocalPath(path) ? path : fallback;
  } catch {
    return fallback;
  }
}

function isLocalPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
}
