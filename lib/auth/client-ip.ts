/**
 * The client address for per-IP limits. `next start` fills `x-forwarded-for` with the socket's
 * address when it is absent; behind a reverse proxy the right-most entry is the one the nearest
 * proxy saw (left-most entries are whatever the client claimed, so they are not trusted).
 */
export function clientIp(headers: Headers): string | undefined {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").map((part) => part.trim()).filter(Boolean).at(-1);
  return (last ?? headers.get("x-real-ip")?.trim()) || undefined;
}
