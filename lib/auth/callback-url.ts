/**
 * Only same-origin paths are followed after sign-in ("/events/x", never "//evil.example" or
 * "https://evil.example"): no open redirect.
 */
export function safeCallbackPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length > 2000) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  try {
    const url = new URL(value, "http://boxoffice.invalid");
    if (url.origin !== "http://boxoffice.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
