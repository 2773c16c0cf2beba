// npm start (and npm run dev with --dev): the whole product on one command. See scripts/lib/launch.ts.
import { launch } from "./lib/launch";
import { runScriptForever } from "./lib/run-script";

runScriptForever(() => launch({ dev: process.argv.includes("--dev") }));
