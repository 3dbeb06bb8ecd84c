import { join } from "node:path";
import { guardrailsGate, runCheckovScan } from "./checkov-scan";

/** What to scan, where to report and how to print. */
export interface ScanAppOptions {
  /** The app's name in the output (an environment, `app`). */
  readonly name: string;
  /** The synthesized app: the folder holding `manifest.json` and `stacks/`. */
  readonly outdir: string;
  /** Where checkov's console, JSON, SARIF and JUnit reports go; emptied first. */
  readonly reportDir: string;
  /** The venv holding the pinned checkov. Default: `SMD_CHECKOV_VENV`, else the project's `.venv`. */
  readonly venv?: string;
  /** Prints a line of the passing output. Default: `console.log`. */
  readonly log?: (line: string) => void;
  /** Prints a line about a failure. Default: `console.error`. */
  readonly error?: (line: string) => void;
}

/**
 * The scan of one synthesized app, as CI runs it: first the guardrails gate (every stack carries the guardrails'
 * passing verdict: none was synthesized past an error, without validation or without the guardrails), then the pinned
 * checkov with the blueprint's custom checks, the guardrails' suppressions applied. Returns the number of failures:
 * refused stacks, failed checks, parsing errors and suppressions that suppress nothing.
 */
export async function scanApp(options: ScanAppOptions): Promise<number> {
  const log = options.log ?? console.log;
  const error = options.error ?? console.error;
  const refused = guardrailsGate(options.outdir);
  for (const problem of refused) error(`  REFUSED: ${problem}`);
  const { stacks, outcome } = await runCheckovScan({
    outdir: options.outdir,
    reportDir: options.reportDir,
    suiteName: `checkov.${options.name}`,
    venv: options.venv,
  });
  // checkov's own console report lists as failed what the suppressions accept: it stays in its file, and only the
  // outcome with the suppressions applied is printed.
  log(
    `== checkov, ${options.name}: ${stacks.join(", ")} (checkov's own report: ${join(options.reportDir, "results_cli.txt")})`,
  );
  for (const s of outcome.suppressed) {
    log(`  suppressed ${s.result.check_id} on ${s.result.resource} (${s.result.file_path}): ${s.skip.reason}`);
  }
  for (const f of outcome.failed)
    error(`  FAILED ${f.check_id} on ${f.resource} (${f.file_path}): ${f.check_name ?? ""}`);
  for (const label of outcome.unusedSuppressions) {
    error(`  UNUSED SUPPRESSION: the ${label} skips a checkov check that does not fail; remove it`);
  }
  log(
    `checkov ${options.name}: ${outcome.passed.length} passed, ${outcome.failed.length} failed, ${outcome.suppressed.length} suppressed, ${outcome.parsingErrors} parsing errors; guardrails gate: ${refused.length === 0 ? "every stack passed" : `${refused.length} refused`} (reports in ${join(options.reportDir)}/)`,
  );
  return refused.length + outcome.failed.length + outcome.parsingErrors + outcome.unusedSuppressions.length;
}
