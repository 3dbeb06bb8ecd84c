import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { ValidationError } from "./constructs/core/validation";
import { GuardrailsError } from "./policies/guardrails/evaluate";
import { synthWithGuardrails } from "./policies/guardrails/synth-app";
import { BACKEND_MODES, type BackendMode } from "./stacks/blueprint-stack";
import { buildBlueprint } from "./stacks/blueprint";
import { DEFAULT_ENVIRONMENT, loadEnvironment } from "./stacks/config";

/**
 * The app: `BLUEPRINT_ENV` chooses the environment (default `dev`), `BLUEPRINT_BACKEND=local` keeps state in local
 * files for trying things out. Synthesizes every stack of that environment into `cdktf.out/`, runs the guardrails
 * on each, and writes their reports to `reports/` (or `BLUEPRINT_REPORTS_DIR`). Exits 1 on an error finding, and
 * then leaves no synthesized stack behind.
 */
function main(): number {
  // cdktf captures a full stack trace for every token it creates (to say where a bad one was made), and with source
  // maps on (tsx turns them on) every capture maps each frame: about 180 ms and 70 MB of the default environment's
  // synth. Errors here are ValidationErrors that say what is wrong without a trace; BLUEPRINT_SOURCE_MAPS=1 keeps them.
  if (process.env.BLUEPRINT_SOURCE_MAPS !== "1") process.setSourceMapsEnabled(false);
  const envName = process.env.BLUEPRINT_ENV || DEFAULT_ENVIRONMENT;
  const backend = (process.env.BLUEPRINT_BACKEND || "s3") as BackendMode;
  if (!BACKEND_MODES.includes(backend)) {
    throw new ValidationError("BLUEPRINT_BACKEND", "backend", backend, `allowed: ${BACKEND_MODES.join(" or ")}`);
  }
  const environment = loadEnvironment(envName);
  // Stacks of an environment synthesized earlier must not linger beside this one's (the scan reads the folder).
  const outdir = process.env.CDKTF_OUTDIR || "cdktf.out";
  const stacksDir = join(outdir, "stacks");
  rmSync(stacksDir, { recursive: true, force: true });
  mkdirSync(stacksDir, { recursive: true });
  // Evaluate every stack before failing, so one run lists every finding (the cdktf CLI does the same).
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
  const app = new App({ outdir });
  buildBlueprint(app, environment, { backend });
  const outcome = synthWithGuardrails(app, {
    environment: environment.name,
    reportsDir: process.env.BLUEPRINT_REPORTS_DIR || "reports",
    reportOnly: true, // this app prints the findings and exits with the outcome's code itself
  });
  for (const line of outcome.messages) process.stderr.write(`${line}\n`);
  if (outcome.exitCode === 0) process.stdout.write(`${outcome.summary}\n`);
  return outcome.exitCode;
}

try {
  process.exitCode = main();
} catch (error) {
  // By name, not instanceof: what matters is the kind of error, whichever module made it.
  if (error instanceof Error && [ValidationError.name, GuardrailsError.name].includes(error.name)) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
