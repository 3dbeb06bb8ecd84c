import { rmSync } from "node:fs";
import { join } from "node:path";
import { Annotations, App, TerraformBackend, TerraformOutput, TerraformProvider, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import {
  type AppliedSuppression,
  applySuppressions,
  evaluateStack,
  GuardrailsError,
  suppressionLabel,
} from "./evaluate";
import { evaluatedRecord, pendingRecord, RECORD_KEY } from "./guardrails-record";
import { GuardrailsReport } from "./guardrails-report";
import { DEFAULT_PROFILE, type GuardrailsProfile, PROFILES, rulesOfProfile } from "./profiles";
import type { Rule, RulePack } from "./rule";
import { SecureModelDeployment } from "./secure-model-deployment";
import { type ResolvedStack, StackIndex } from "./stack-index";
import {
  reasonProblem,
  ruleIdProblem,
  type Suppression,
  type SuppressionOrigin,
  suppressionProblems,
} from "./suppression";

/** Options of {@link Guardrails.applyTo}. */
export interface GuardrailsOptions {
  /** Rule packs to run. Default: `[SecureModelDeployment]`. */
  readonly packs?: readonly RulePack[];
  /**
   * Which of the packs' rules apply: `platform` for stacks that own an account's baseline, a cluster or an edge
   * (every rule but the workload ones); `workload` for app teams' stacks on a shared platform (no rules about the
   * account-wide singletons the platform's baseline holds, and a rule that keeps them out). Default: `platform`.
   */
  readonly profile?: GuardrailsProfile;
  /** Register entries (construct path, rule ID, reason) that accept findings. Default: none. */
  readonly suppressions?: readonly Suppression[];
}

/** Metadata type under which {@link Guardrails.suppress} records a suppression on a construct. */
const SUPPRESSION_METADATA = "smd/guardrails-suppression";

/** Marks a stack the guardrails are applied to, whichever copy of this library applied them. */
const APPLIED = Symbol.for("secure-model-deployment-blueprint/Guardrails");

/**
 * Synth-time guardrails for cdktf: rule packs that check every stack's resolved Terraform while it synthesizes.
 *
 * ```ts
 * Guardrails.applyTo(stack);                                  // the SecureModelDeployment pack
 * Guardrails.applyTo(stack, { profile: "workload" });         // an app team's stack on a shared platform
 * Guardrails.suppress(bucket, "SMD-S3-4", "This bucket receives the access logs of ...");
 * ```
 *
 * `applyTo` registers the evaluation as a validation of the stack, which cdktf runs after every aspect, so the rules
 * read exactly what lands in `cdk.tf.json`, overrides and other aspects' changes included. Each finding becomes an
 * annotation on the offending construct: an error fails synth with the list of findings (`cdktf synth` prints them
 * all), a warning is printed. {@link GuardrailsReport.of} gives every finding.
 *
 * Every guarded stack carries the guardrails' verdict in its own `cdk.tf.json` (`"//".smd_guardrails`): `passed`,
 * `failed` or `not-evaluated`. Whatever lets a synth finish past an error (`CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS`,
 * `new App({ skipValidation: true })`, an ignored {@link synthWithGuardrails} result) leaves `failed` or
 * `not-evaluated` there, and the scan (`npm run scan`, `npx secure-model-deployment-blueprint scan`) refuses it.
 *
 * Stacks, providers, backends and outputs are recognized with cdktf's symbol-based checks (`TerraformStack.isStack`
 * and the like), and nothing relies on cdktf's aspects, whose registry is private to one copy of cdktf: the
 * guardrails act the same in an app that holds two copies (a directory install or `npm link` of this library).
 */
export class Guardrails {
  /** Registers the guardrails on a stack, once. */
  public static applyTo(stack: TerraformStack, options: GuardrailsOptions = {}): Guardrails {
    if (!TerraformStack.isStack(stack)) {
      const path = (stack as IConstruct | undefined)?.node?.path;
      throw new GuardrailsError(
        `${path ?? String(stack)}: Guardrails.applyTo takes a TerraformStack (every stack of the app, one call each)`,
      );
    }
    if (APPLIED in stack) {
      throw new GuardrailsError(`${stack.node.path}: the guardrails are already applied to this stack`);
    }
    if (options.profile !== undefined && !PROFILES.includes(options.profile)) {
      throw new GuardrailsError(
        `${stack.node.path}: profile = ${JSON.stringify(options.profile)} is not allowed; allowed: ${PROFILES.join(" or ")}`,
      );
    }
    const guardrails = new Guardrails(options);
    Object.defineProperty(stack, APPLIED, { value: guardrails });
    // Until the evaluation runs (it may never, under skipValidation), the stack says so in its own JSON.
    stack.addOverride(`//.${RECORD_KEY}`, pendingRecord(guardrails.profile, guardrails.packNames));
    stack.node.addValidation({
      validate: () => {
        guardrails.evaluate(stack);
        return [];
      },
    });
    return guardrails;
  }

  /**
   * Accepts a rule's findings on one construct (and, with `applyToChildren`, on everything below it), for a reason
   * of real content. Throws at once on a malformed rule ID or a reason that is not good enough; a rule the applied
   * packs do not have, a rule that cannot be suppressed and a suppression that accepts nothing fail the synth.
   */
  public static suppress(
    scope: IConstruct,
    ruleId: string,
    reason: string,
    options: { applyToChildren?: boolean } = {},
  ) {
    const problem = ruleIdProblem(ruleId) ?? reasonProblem(reason);
    if (problem) throw new GuardrailsError(`${scope.node.path}: ${problem}`);
    scope.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason, applyToChildren: options.applyToChildren ?? false });
  }

  private readonly packs: readonly RulePack[];
  private readonly profile: GuardrailsProfile;
  private readonly register: readonly Suppression[];

  private constructor(options: GuardrailsOptions) {
    this.packs = options.packs ?? [SecureModelDeployment];
    this.profile = options.profile ?? DEFAULT_PROFILE;
    this.register = options.suppressions ?? [];
    for (const entry of this.register) {
      const problems = suppressionProblems(entry);
      if (problems.length > 0) {
        throw new GuardrailsError(`${suppressionLabel({ ...entry, origin: "register" })}: ${problems.join("; ")}`);
      }
    }
  }

  private get packNames(): string[] {
    return this.packs.map((p) => p.name);
  }

  private evaluate(stack: TerraformStack): void {
    const rules = new Map<string, Rule>();
    for (const pack of this.packs) for (const rule of rulesOfProfile(pack, this.profile)) rules.set(rule.id, rule);
    const constructs = stack.node.findAll();
    const entries: (Suppression & { origin: SuppressionOrigin })[] = [
      ...this.register.map((s) => ({ ...s, origin: "register" as const })),
      ...constructs.flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === SUPPRESSION_METADATA)
          .map((m) => ({ ...(m.data as Omit<Suppression, "path">), path: c.node.path, origin: "construct" as const })),
      ),
    ];
    const paths = constructs.map((c) => c.node.path);
    const suppressions: AppliedSuppression[] = applySuppressions(stack.node.id, paths, entries, rules);
    const index = new StackIndex(
      stack.node.id,
      stack.node.path,
      stack.toTerraform() as ResolvedStack,
      elementPaths(constructs),
    );
    const result = evaluateStack(index, [...rules.values()], suppressions);
    GuardrailsReport.of(stack).add(result, this.packs);
    const record = evaluatedRecord(
      this.profile,
      this.packNames,
      result.evaluations.length,
      result.findings,
      result.checkovSkips,
    );
    stack.addOverride(`//.${RECORD_KEY}`, record);
    if (record.status === "failed") removeEarlierOutput(stack);

    const byPath = new Map(constructs.map((c) => [c.node.path, c]));
    for (const finding of result.findings) {
      if (finding.suppressedBy) continue;
      const at = byPath.get(finding.path) ?? stack;
      const text = finding.address ? `${finding.message} [${finding.address}]` : finding.message;
      if (finding.level === "error") Annotations.of(at).addError(text);
      else Annotations.of(at).addWarning(text);
    }
  }
}

/**
 * Removes what an earlier synth left of a stack that now fails (its folder) and the app's manifest: cdktf stops before
 * it writes either, and a scan of the old files would pass what this synth refused. When the synth goes on past the
 * errors, cdktf writes both anew, the stack's record saying `failed`.
 */
function removeEarlierOutput(stack: TerraformStack): void {
  const root = stack.node.root;
  if (!App.isApp(root) || !root.outdir) return;
  rmSync(join(root.outdir, "stacks", stack.node.id), { recursive: true, force: true });
  rmSync(join(root.outdir, "manifest.json"), { force: true });
}

/** Construct paths of the elements whose JSON carries none: providers, the backend and outputs. */
function elementPaths(constructs: readonly IConstruct[]): Map<string, string> {
  const paths = new Map<string, string>();
  for (const c of constructs) {
    if (TerraformProvider.isTerraformProvider(c)) {
      const address = c.alias
        ? `provider.${c.terraformResourceType}.${c.alias}`
        : `provider.${c.terraformResourceType}`;
      paths.set(address, c.node.path);
    } else if (TerraformBackend.isBackend(c)) {
      const json = c.toTerraform() as { terraform?: { backend?: Record<string, unknown> } };
      for (const type of Object.keys(json.terraform?.backend ?? {}))
        paths.set(`terraform.backend.${type}`, c.node.path);
    } else if (TerraformOutput.isTerraformOutput(c)) {
      paths.set(`output.${c.friendlyUniqueId}`, c.node.path);
    }
  }
  return paths;
}
