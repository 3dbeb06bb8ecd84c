import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { App } from "cdktf";
import { GuardrailsReport } from "./guardrails-report";
import { GUARDRAILS_FILE, type GuardrailsJson, toControlsMarkdown, toGuardrailsJson, toSarif } from "./reports";

/** Where {@link synthWithGuardrails} writes. */
export interface SynthOptions {
  /** Environment name, shown in the reports. */
  readonly environment: string;
  /** Folder for `guardrails.json`, `guardrails.sarif` and `controls.md`. */
  readonly reportsDir: string;
}

/** What a synth with guardrails produced. */
export interface SynthOutcome {
  /** 0 when no error finding is left, else 1 (and no synthesized stack is left behind). */
  readonly exitCode: 0 | 1;
  /** Lines for stderr: every error and warning finding, then a summary when it failed. */
  readonly messages: readonly string[];
  readonly summary: string;
  readonly report: GuardrailsJson;
}

/**
 * Synthesizes an app whose stacks carry `Guardrails`, writes the reports and decides the outcome. Set
 * `CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS` before the stacks are created to have every stack evaluated before
 * the build fails (as the cdktf CLI does); otherwise cdktf throws at the first stack with an error finding.
 */
export function synthWithGuardrails(app: App, options: SynthOptions): SynthOutcome {
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
    return {
      exitCode: 1,
      messages: [...messages, `${summary}: synth failed (reports in ${options.reportsDir}/)`],
      summary,
      report: json,
    };
  }
  return { exitCode: 0, messages, summary, report: json };
}
