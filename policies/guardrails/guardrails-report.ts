import type { IConstruct } from "constructs";
import type { Finding, StackResult } from "./evaluate";
import type { Rule, RulePack } from "./rule";

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

  /** @internal records a stack's result. */
  public add(result: StackResult, packs: readonly RulePack[]): void {
    this.stacks.push(result);
    for (const pack of packs) {
      this.packs.set(pack.name, pack);
      for (const rule of pack.rules) this.rules.set(rule.id, rule);
    }
  }
}
