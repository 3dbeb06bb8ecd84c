import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { App } from "cdktf";
import { GuardrailsError } from "./evaluate";
import { GuardrailsReport } from "./guardrails-report";
import { GUARDRAILS_FILE, type GuardrailsJson, toControlsMarkdown, toGuardrailsJson, toSarif } from "./reports";

/** Where {@link synthWithGuardrails} writes. */
export interface SynthOptions {
  /** Environment name, shown in the reports. */
  readonly environment: string;
  /** Folder for `guardrails.json`, `guardrails.sarif` and `controls.md`. */
  readonly reportsDir: string;
  /**
   * Return a failed outcome (`exitCode` 1) instead of throwing when an error finding is left: for a caller that
   * prints the outcome and exits with its code itself. Default: false, so a caller that ignores the result still
   * fails.
   */
  readonly reportOnly?: boolean;
}

/** What a synth with guardrails produced. */
export interface SynthOutcome {
  /** 0 when no error finding is left, else 1 (and no synthesized stack is left behind). */
  readonly exitCode: 0 | 1;
  /** Lines for stderr: every error and warning finding, then a summary when it failed. */
  readonly messages: readonly string[];
  /** One line: errors, warnings and suppressed findings over how many checks of how many stacks. */
  readonly summary: string;
  /** What `guardrails.json` holds. */
  readonly report: GuardrailsJson;
}

/**
 * Synthesizes an app whose stacks carry `Guardrails`, writes the reports and decides the outcome. Set
 * `CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS` before the stacks are created to have every stack evaluated before
 * the build fails (as the cdktf CLI does); otherwise cdktf throws at the first stack with an error finding.
 *
 * On an error finding it removes the synthesized stacks and throws a `GuardrailsError` listing the findings, unless
 * `reportOnly` is set; either way no stack that failed is left to deploy, and each failed stack's record says
 * `failed` should one be kept elsewhere.
 */
export function synthWithGuardrails(app: App, options: SynthOptions): SynthOutcome {
  if (!App.isApp(app)) throw new GuardrailsError("synthWithGuardrails takes the cdktf App");
  app.synth();
  const report = GuardrailsReport.of(app);
  const json = toGuardrailsJson(
    options.environment,
    [...report.packs.keys()],
    [...report.rules.values()],
    report.stacks,
  );
  const text = `${JSON.stringify(json, null, 2)}\n`;
  mkdirSync(options.reportsDir, { recursive: true });
  writeFileSync(join(app.outdir, GUARDRAILS_FILE), text);
  writeFileSync(join(options.reportsDir, GUARDRAILS_FILE), text);
  const sarif = toSarif(json, (stack) => {
    const file = join(app.outdir, "stacks", stack, "cdk.tf.json");
    return { uri: relative(process.cwd(), file), text: existsSync(file) ? readFileSync(file, "utf8") : undefined };
  });
  writeFileSync(join(options.reportsDir, "guardrails.sarif"), `${JSON.stringify(sarif, null, 2)}\n`);
  writeFileSync(join(options.reportsDir, "controls.md"), toControlsMarkdown(json));

  const messages = [
    ...report.errors.map((f) => `error: [${f.path}] ${f.message}`),
    ...report.warnings.map((f) => `warning: [${f.path}] ${f.message}`),
  ];
  const summary = `guardrails (${options.environment}): ${json.summary.errors} errors, ${json.summary.warnings} warnings, ${json.summary.suppressed} suppressed over ${json.evaluations.length} checks of ${json.stacks.length} stacks`;
  if (report.errors.length > 0) {
    rmSync(join(app.outdir, "stacks"), { recursive: true, force: true });
    const failed = [...messages, `${summary}: synth failed (reports in ${options.reportsDir}/)`];
    if (!options.reportOnly) throw new GuardrailsError(failed.join("\n"));
    return { exitCode: 1, messages: failed, summary, report: json };
  }
  return { exitCode: 0, messages, summary, report: json };
}
