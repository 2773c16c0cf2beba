import coreWebVitals from "eslint-config-next/core-web-vitals";
import typescript from "eslint-config-next/typescript";

const config = [
  ...coreWebVitals,
  ...typescript,
  { ignores: [".next/**", ".data/**", "drizzle/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/env (getEnv) only." },
      ],
    },
  },
  {
    // The env module itself, the emulator's own CLI config, tooling configs and test harness may read process.env.
    files: ["lib/env/**", "scripts/**", "tests/**", "instrumentation.ts", "*.config.ts", "*.config.mts", "*.config.mjs"],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
