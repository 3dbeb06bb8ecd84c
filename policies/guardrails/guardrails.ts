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
  type Finding,
  GuardrailsError,
  type StackResult,
  suppressionLabel,
} from "./evaluate";
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

/** What one app's guardrails found, stack by stack, in synthesis order. */
export class GuardrailsReport {
  private static readonly reports = new WeakMap<IConstruct, GuardrailsReport>();

  /** The report of the app a construct belongs to. */
  public static of(scope: IConstruct): GuardrailsReport {
    const root = scope.node.root;
    let report = GuardrailsReport.reports.get(root);
    if (!report) {
      report = new GuardrailsReport();
      GuardrailsReport.reports.set(root, report);
    }
    return report;
  }

  /** Results per stack. */
  public readonly stacks: StackResult[] = [];
  /** The rules that ran, by ID. */
  public readonly rules = new Map<string, Rule>();
  /** The packs that ran, by name. */
  public readonly packs = new Map<string, RulePack>();
  private readonly registerEntries = new Map<Suppression, boolean>();

  /** Every finding, suppressed or not. */
  public get findings(): Finding[] {
    return this.stacks.flatMap((s) => s.findings);
  }

  /** Findings that fail the build: errors no suppression accepts. */
  public get errors(): Finding[] {
    return this.findings.filter((f) => f.level === "error" && !f.suppressedBy);
  }

  /** Findings to print: warnings no suppression accepts. */
  public get warnings(): Finding[] {
    return this.findings.filter((f) => f.level === "warning" && !f.suppressedBy);
  }

  /**
   * Register entries that applied to no stack of this app, as messages. Not an error by itself: a register shared
   * by several environments holds entries for stacks another environment has (`npm run scan:all` checks that
   * every entry applies somewhere).
   */
  public unmatchedRegisterEntries(): string[] {
    return [...this.registerEntries.entries()]
      .filter(([, matched]) => !matched)
      .map(
        ([s]) =>
          `${suppressionLabel({ ...s, origin: "register" })}: no stack of this app is named like ${JSON.stringify(s.path.split("/")[0])}; remove the entry or correct its path`,
      );
  }

  /** @internal records a stack's result. */
  public add(result: StackResult, packs: readonly RulePack[], register: readonly Suppression[]): void {
    this.stacks.push(result);
    for (const pack of packs) {
      this.packs.set(pack.name, pack);
      for (const rule of pack.rules) this.rules.set(rule.id, rule);
    }
    for (const entry of register) {
      const matched = result.suppressions.some(
        (s) => s.origin === "register" && s.path === entry.path && s.ruleId === entry.ruleId,
      );
      this.registerEntries.set(entry, (this.registerEntries.get(entry) ?? false) || matched);
    }
  }
}

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
  /** Registers the guardrails on a stack; call once per stack. */
  public static applyTo(stack: TerraformStack, options: GuardrailsOptions = {}): Guardrails {
    const guardrails = new Guardrails(options);
    Aspects.of(stack).add(guardrails);
    return guardrails;
  }

  /**
   * Accepts a rule's findings on one construct (and, with `applyToChildren`, on everything below it), for a reason
   * of real content. Throws when the rule cannot be suppressed or the reason is not good enough.
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
    GuardrailsReport.of(stack).add(result, this.packs, this.register);

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
