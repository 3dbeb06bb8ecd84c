#!/usr/bin/env node
/**
 * The package's command for app teams' pipelines, the same gate the blueprint's own CI runs:
 *
 *   npx secure-model-deployment-blueprint scan [--outdir cdktf.out] [--reports reports/checkov] [--venv <dir>]
 *   npx secure-model-deployment-blueprint scan --setup      only install the pinned checkov
 *
 * It refuses a synthesized app whose stacks do not all carry the guardrails' passing record (a stack synthesized past
 * an error, with validations off or without `Guardrails.applyTo`), then runs the pinned checkov with the blueprint's
 * custom checks over every stack, the guardrails' suppressions applied, and writes console, JSON, SARIF and JUnit
 * reports. Exit code 0 when everything passed, 1 on any refused stack, failed check, parsing error or unused
 * suppression, 2 when the scan cannot run.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureCheckov, pinnedCheckovVersion } from "./checkov-scan";
import { scanApp } from "./scan-app";

const USAGE = `usage: secure-model-deployment-blueprint scan [options]

Checks a synthesized cdktf app (cdktf.out/) the way the blueprint's CI does: every stack must carry the
guardrails' passing record, then the pinned checkov runs with the blueprint's custom checks.

options:
  --outdir <dir>   the synthesized app (default: cdktf.out)
  --reports <dir>  where the reports go (default: reports/checkov)
  --venv <dir>     the Python venv for the pinned checkov, created when missing
                   (default: $SMD_CHECKOV_VENV, else node_modules/.cache/secure-model-deployment-blueprint/checkov)
  --setup          only create the venv
  --help           this text

exit code: 0 passed, 1 refused or failed, 2 could not run`;

/** Output of the command, so that tests can read it. */
export interface CommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const STDIO: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs the command with its arguments (without `node` and the script); returns the exit code. */
export async function runCommand(argv: readonly string[], io: CommandIo = STDIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    io.out(USAGE);
    return 0;
  }
  if (command !== "scan") {
    io.err(`${command === undefined ? "no command given" : `unknown command ${JSON.stringify(command)}`}\n${USAGE}`);
    return 2;
  }
  const options: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i += 1) {
    const flag = rest[i];
    if (flag === "--setup" || flag === "--help") {
      options[flag.slice(2)] = true;
    } else if (["--outdir", "--reports", "--venv"].includes(flag) && rest[i + 1] && !rest[i + 1].startsWith("--")) {
      options[flag.slice(2)] = rest[i + 1];
      i += 1;
    } else {
      io.err(`unknown or incomplete option ${JSON.stringify(flag)}\n${USAGE}`);
      return 2;
    }
  }
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const venv = resolve(
    (options.venv as string | undefined) ??
      (process.env.SMD_CHECKOV_VENV ||
        join("node_modules", ".cache", "secure-model-deployment-blueprint", `checkov-${pinnedCheckovVersion()}`)),
  );
  const outdir = resolve((options.outdir as string | undefined) ?? "cdktf.out");
  if (!options.setup && !existsSync(join(outdir, "manifest.json"))) {
    io.err(`${join(outdir, "manifest.json")} is missing: synthesize the app first (cdktf synth)`);
    return 2;
  }
  try {
    ensureCheckov((line) => io.out(line), venv);
    if (options.setup) return 0;
    const failures = await scanApp({
      name: "app",
      outdir,
      reportDir: resolve((options.reports as string | undefined) ?? join("reports", "checkov")),
      venv,
      log: io.out,
      error: io.err,
    });
    return failures === 0 ? 0 : 1;
  } catch (error) {
    io.err(`scan: ${(error as Error).message}`);
    return 2;
  }
}

if (require.main === module) {
  runCommand(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`scan: ${error.message}\n`);
      process.exitCode = 2;
    },
  );
}
