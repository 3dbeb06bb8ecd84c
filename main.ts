import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { ValidationError } from "./constructs/core/validation";
import { BACKEND_MODES, type BackendMode } from "./stacks/blueprint-stack";
import { buildBlueprint } from "./stacks/blueprint";
import { DEFAULT_ENVIRONMENT, loadEnvironment } from "./stacks/config";

/**
 * The app: `BLUEPRINT_ENV` chooses the environment (default `dev`), `BLUEPRINT_BACKEND=local` keeps state in local
 * files for trying things out. Synthesizes every stack of that environment into `cdktf.out/`.
 */
function main(): void {
  const envName = process.env.BLUEPRINT_ENV || DEFAULT_ENVIRONMENT;
  const backend = (process.env.BLUEPRINT_BACKEND || "s3") as BackendMode;
  if (!BACKEND_MODES.includes(backend)) {
    throw new ValidationError("BLUEPRINT_BACKEND", "backend", backend, `allowed: ${BACKEND_MODES.join(" or ")}`);
  }
  const environment = loadEnvironment(envName);
  // Stacks of an environment synthesized earlier must not linger beside this one's (the scan reads the folder).
  const outdir = process.env.CDKTF_OUTDIR || "cdktf.out";
  rmSync(join(outdir, "stacks"), { recursive: true, force: true });
  mkdirSync(join(outdir, "stacks"), { recursive: true });
  const app = new App({ outdir });
  buildBlueprint(app, environment, { backend });
  app.synth();
}

try {
  main();
} catch (error) {
  if (error instanceof ValidationError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
