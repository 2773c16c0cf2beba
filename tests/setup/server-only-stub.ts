// Vitest runs outside React's server environment; `server-only` guards bundling, not Node tests.
export {};
