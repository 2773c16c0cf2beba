// A stand-in for next/headers in integration tests (used with vi.mock). It imports nothing from the
// app: the app's auth modules import next/headers themselves, so anything they import here would
// wait on this module forever.

const state: { session: string; organizationId?: string } = { session: "" };

export function setRequestCookies(session: string | undefined, organizationId?: string) {
  state.session = session ?? "";
  state.organizationId = organizationId;
}

function cookieHeader(): string {
  return [state.session, state.organizationId ? `bo_org=${state.organizationId}` : ""].filter(Boolean).join("; ");
}

function cookiePairs() {
  return cookieHeader()
    .split("; ")
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1) };
    });
}

export const nextHeadersMock = {
  headers: async () => new Headers({ host: "localhost:3999", "x-forwarded-proto": "http", cookie: cookieHeader() }),
  cookies: async () => {
    const pairs = cookiePairs();
    return {
      get: (name: string) => pairs.find((p) => p.name === name),
      getAll: () => pairs,
      has: (name: string) => pairs.some((p) => p.name === name),
      set: () => undefined,
      delete: () => undefined,
    };
  },
};
