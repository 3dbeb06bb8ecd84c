import {
  Annotations,
  Aspects,
  type IAspect,
  TerraformBackend,
  TerraformOutput,
  TerraformProvider,
  TerraformStack,
} from "cdktf";
import type { IConstruct } from "constructs";
import {
  type AppliedSuppression,
  applySuppressions,
  evaluateStack,
  GuardrailsError,
  suppressionLabel,
} from "./evaluate";
import { GuardrailsReport } from "./guardrails-report";
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
  /** Register entries (construct path, rule ID, reason) that accept findings. Default: none. */
  readonly suppressions?: readonly Suppression[];
}

/** Metadata type under which {@link Guardrails.suppress} records a suppression on a construct. */
const SUPPRESSION_METADATA = "smd/guardrails-suppression";

/**
 * Synth-time guardrails for cdktf: rule packs that check every stack's resolved Terraform while it synthesizes.
 *
 *   Guardrails.applyTo(stack);                                  // the SecureModelDeployment pack
 *   Guardrails.suppress(bucket, "SMD-S3-4", "This bucket receives the access logs of ...");
 *
 * It is an aspect, registered on the stack (cdktf runs no aspect registered on the App alone). When it visits
 * the stack it schedules the evaluation as a validation of the stack, which cdktf runs after every aspect, so the
 * rules read exactly what lands in `cdk.tf.json`, overrides and other aspects' changes included. Each finding
 * becomes an annotation on the offending construct: an error fails synth with the list of findings (`cdktf synth`
 * prints them all), a warning is printed. {@link GuardrailsReport.of} gives every finding. Like every cdktf
 * validation, `new App({ skipValidation: true })` turns the guardrails off.
 */
export class Guardrails implements IAspect {
  /** Registers the guardrails on a stack, once. */
  public static applyTo(stack: TerraformStack, options: GuardrailsOptions = {}): Guardrails {
    if (Aspects.of(stack).all.some((a) => a instanceof Guardrails)) {
      throw new GuardrailsError(`${stack.node.path}: the guardrails are already applied to this stack`);
    }
    const guardrails = new Guardrails(options);
    Aspects.of(stack).add(guardrails);
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
  private readonly register: readonly Suppression[];
  private readonly scheduled = new WeakSet<TerraformStack>();

  private constructor(options: GuardrailsOptions) {
    this.packs = options.packs ?? [SecureModelDeployment];
    this.register = options.suppressions ?? [];
    for (const entry of this.register) {
      const problems = suppressionProblems(entry);
      if (problems.length > 0) {
        throw new GuardrailsError(`${suppressionLabel({ ...entry, origin: "register" })}: ${problems.join("; ")}`);
      }
    }
  }

  /** Schedules the evaluation when it visits a stack; other constructs are read then. */
  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack) || this.scheduled.has(node)) return;
    this.scheduled.add(node);
    // Stack validations run after every aspect of the stack has visited every construct: the configuration is final.
    node.node.addValidation({
      validate: () => {
        this.evaluate(node);
        return [];
      },
    });
  }

  private evaluate(stack: TerraformStack): void {
    const rules = new Map<string, Rule>();
    for (const pack of this.packs) for (const rule of pack.rules) rules.set(rule.id, rule);
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

/** Construct paths of the elements whose JSON carries none: providers, the backend and outputs. */
function elementPaths(constructs: readonly IConstruct[]): Map<string, string> {
  const paths = new Map<string, string>();
  for (const c of constructs) {
    if (c instanceof TerraformProvider) {
      const address = c.alias
        ? `provider.${c.terraformResourceType}.${c.alias}`
        : `provider.${c.terraformResourceType}`;
      paths.set(address, c.node.path);
    } else if (c instanceof TerraformBackend) {
      const json = c.toTerraform() as { terraform?: { backend?: Record<string, unknown> } };
      for (const type of Object.keys(json.terraform?.backend ?? {}))
        paths.set(`terraform.backend.${type}`, c.node.path);
    } else if (c instanceof TerraformOutput) {
      paths.set(`output.${c.friendlyUniqueId}`, c.node.path);
    }
  }
  return paths;
}
