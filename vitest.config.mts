import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve("."),
      "server-only": path.resolve("tests/setup/server-only-stub.ts"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/worker-env.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses;
    // inlining lets Vite resolve it (so Auth.js's real route handlers run in integration tests).
    server: { deps: { inline: ["next-auth"] } },
    // One module graph per worker: each worker opens (and, on PGlite, migrates) its database once
    // instead of once per file. Factories create uniquely named rows, so files can share it.
    isolate: false,
  },
});
