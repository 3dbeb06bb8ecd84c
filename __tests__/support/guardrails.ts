import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider, type AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { App, S3Backend, TerraformBackend, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { AwsContext } from "../../constructs/core/aws-context";
import type { Finding } from "../../policies/guardrails/evaluate";
import { Guardrails, type GuardrailsOptions } from "../../policies/guardrails/guardrails";
import { GuardrailsReport } from "../../policies/guardrails/guardrails-report";

/** Builds a fixture's resources into a stack. */
export type Build = (stack: TerraformStack) => void;

/** What a guarded synth produced. */
export interface GuardedSynth {
  readonly app: App;
  readonly stack: TerraformStack;
  readonly report: GuardrailsReport;
  /** The error `app.synth()` threw, if it did. */
  readonly error?: Error;
  /** Findings no suppression accepts. */
  readonly open: Finding[];
}

/**
 * An AWS provider that passes every rule (pinned account, governance tags), with some of its configuration
 * replaced: every fixture stack has one.
 */
export function fixtureProvider(
  scope: TerraformStack,
  id = "aws",
  change: Partial<AwsProviderConfig> = {},
): AwsProvider {
  return new AwsProvider(scope, id, {
    region: "eu-west-1",
    allowedAccountIds: ["111122223333"],
    defaultTags: [{ tags: { Owner: "ml-platform@example.com", DataClassification: "confidential" } }],
    ...change,
  });
}

/** An encrypted, locked S3 backend that passes every rule, with some of its arguments replaced by overrides. */
export function fixtureBackend(stack: TerraformStack, change: Record<string, unknown> = {}): void {
  new S3Backend(stack, {
    bucket: "state",
    key: "fixture.tfstate",
    region: "eu-west-1",
    encrypt: true,
    kmsKeyId: "alias/state",
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  for (const [key, value] of Object.entries(change)) stack.addOverride(`terraform.backend.s3.${key}`, value);
}

/**
 * Builds one stack with the guardrails on, in an app with a fresh temporary folder: a provider and an encrypted,
 * locked S3 backend (unless `build` sets its own), then whatever `build` adds.
 */
export function guardedStack(build: Build, options: GuardrailsOptions = {}): { app: App; stack: TerraformStack } {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "guardrails-")) });
  const stack = new TerraformStack(app, "fixture");
  fixtureProvider(stack);
  AwsContext.register(stack, { region: "eu-west-1" });
  Guardrails.applyTo(stack, options);
  build(stack);
  if (!stack.node.findAll().some((c: IConstruct) => c instanceof TerraformBackend)) fixtureBackend(stack);
  return { app, stack };
}

/** Builds a guarded stack (see {@link guardedStack}) and synthesizes it. Never throws on findings. */
export function guardedSynth(build: Build, options: GuardrailsOptions = {}): GuardedSynth {
  const { app, stack } = guardedStack(build, options);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const report = GuardrailsReport.of(app);
  return { app, stack, report, error, open: report.findings.filter((f) => !f.suppressedBy) };
}

/** The rule IDs of findings no suppression accepts, sorted and unique. */
export function openRuleIds(result: GuardedSynth): string[] {
  return [...new Set(result.open.map((f) => f.ruleId))].sort();
}
