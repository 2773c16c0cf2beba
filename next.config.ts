import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships a WASM build and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  // Lint and type check run in `npm test`; the build need not repeat them.
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
