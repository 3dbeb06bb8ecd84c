import { CONTROL_LAYERS, CONTROL_STATUSES, CONTROLS, type Control, type ControlStatus } from "./controls";
import {
  type CheckovSkip,
  type Evaluation,
  type Finding,
  NOTHING_CHECKED_ID,
  type StackResult,
  UNUSED_SUPPRESSION_ID,
} from "./evaluate";
import type { FindingLevel, Rule } from "./rule";
import type { SuppressionOrigin } from "./suppression";

/** Name of the machine-readable report, in `reports/` and next to the synthesized stacks. */
export const GUARDRAILS_FILE = "guardrails.json";

/** The tool name the reports carry. */
export const TOOL_NAME = "smd-guardrails";

/** A rule as the reports describe it. */
export interface RuleJson {
  /** The rule's ID. */
  readonly id: string;
  /** What it demands. */
  readonly title: string;
  /** `error` or `warning`. */
  readonly level: FindingLevel;
  /** The controls it enforces. */
  readonly controls: readonly string[];
  /** The checkov checks it mirrors. */
  readonly checkov: readonly string[];
  /** Whether a suppression may accept its findings. */
  readonly suppressible: boolean;
  /** How to comply. */
  readonly fix: string;
}

/** A finding as the reports describe it: the suppression reduced to where it came from and why. */
export type FindingJson = Omit<Finding, "suppressedBy"> & {
  readonly suppressed?: { readonly origin: SuppressionOrigin; readonly path: string; readonly reason: string };
};

/** A suppression in force, as the reports describe it. */
export interface SuppressionJson {
  /** The stack it applies in. */
  readonly stack: string;
  /** The register or a construct. */
  readonly origin: SuppressionOrigin;
  /** The construct path it names. */
  readonly path: string;
  /** The rule or checkov check it suppresses. */
  readonly ruleId: string;
  /** Whether it covers the constructs below the path too. */
  readonly applyToChildren: boolean;
  /** Why the finding is accepted. */
  readonly reason: string;
  /** The construct paths it matched. */
  readonly matched: readonly string[];
}

/** `guardrails.json`: everything one synth's guardrails found. */
export interface GuardrailsJson {
  /** Always `smd-guardrails`. */
  readonly tool: string;
  /** The environment (or app) synthesized. */
  readonly environment: string;
  /** The rule packs that ran. */
  readonly packs: readonly string[];
  /** The stacks, in synthesis order. */
  readonly stacks: readonly string[];
  /** Findings no suppression accepts (errors, warnings) and those one does. */
  readonly summary: { readonly errors: number; readonly warnings: number; readonly suppressed: number };
  /** Every rule that ran. */
  readonly rules: readonly RuleJson[];
  /** Every finding, suppressed ones with their reason. */
  readonly findings: readonly FindingJson[];
  /** The suppressions in force. */
  readonly suppressions: readonly SuppressionJson[];
  /** Every rule's outcome on every element it checked, with the stack. */
  readonly evaluations: readonly (Evaluation & { readonly stack: string })[];
  /** What checkov must skip, derived from the same suppressions. */
  readonly checkovSkips: readonly CheckovSkip[];
}

/** The rule an unused suppression is reported under. */
const UNUSED_RULE: RuleJson = {
  id: UNUSED_SUPPRESSION_ID,
  title: "Every suppression accepts a finding",
  level: "error",
  controls: [],
  checkov: [],
  suppressible: false,
  fix: "remove the suppression, or correct its path or rule ID",
};

/** The rule a stack whose resources no rule checked is reported under. */
const NOTHING_CHECKED_RULE: RuleJson = {
  id: NOTHING_CHECKED_ID,
  title: "The guardrails check at least one resource of every stack that holds resources",
  level: "error",
  controls: [],
  checkov: [],
  suppressible: false,
  fix: "apply the pack and profile that cover the stack's resource types, or add rules for them",
};

function ruleJson(rule: Rule): RuleJson {
  return {
    id: rule.id,
    title: rule.title,
    level: rule.level,
    controls: rule.controls,
    checkov: rule.checkov ?? [],
    suppressible: rule.suppressible ?? true,
    fix: rule.fix,
  };
}

function findingJson({ suppressedBy, ...finding }: Finding): FindingJson {
  if (!suppressedBy) return finding;
  return {
    ...finding,
    suppressed: { origin: suppressedBy.origin, path: suppressedBy.path, reason: suppressedBy.reason },
  };
}

/** The machine-readable report of one synth. */
export function toGuardrailsJson(
  environment: string,
  packs: readonly string[],
  rules: readonly Rule[],
  results: readonly StackResult[],
): GuardrailsJson {
  const findings = results.flatMap((r) => r.findings).map(findingJson);
  return {
    tool: TOOL_NAME,
    environment,
    packs,
    stacks: results.map((r) => r.stack),
    summary: {
      errors: findings.filter((f) => f.level === "error" && !f.suppressed).length,
      warnings: findings.filter((f) => f.level === "warning" && !f.suppressed).length,
      suppressed: findings.filter((f) => f.suppressed).length,
    },
    rules: rules.map(ruleJson),
    findings,
    suppressions: results.flatMap((r) =>
      r.suppressions.map((s) => ({
        stack: r.stack,
        origin: s.origin,
        path: s.path,
        ruleId: s.ruleId,
        applyToChildren: s.applyToChildren ?? false,
        reason: s.reason,
        matched: s.matched,
      })),
    ),
    evaluations: results.flatMap((r) => r.evaluations.map((e) => ({ stack: r.stack, ...e }))),
    checkovSkips: results.flatMap((r) => r.checkovSkips),
  };
}

/** Where a stack's synthesized file is (a URI relative to the repository) and its text, for line numbers. */
export type StackFiles = (stack: string) => { readonly uri: string; readonly text?: string };

/** The 1-based line of an element in a `cdk.tf.json` written with two-space indentation, or 1. */
export function lineOf(text: string | undefined, address: string): number {
  if (!text || address === "") return 1;
  const parts = address.split(".");
  let keys: string[];
  if (parts[0] === "data") keys = ["data", parts[1], parts.slice(2).join(".")];
  else if (parts[0] === "provider") keys = ["provider", parts[1]];
  else if (parts[0] === "terraform") keys = ["terraform", "backend", parts[2]];
  else if (parts[0] === "output") keys = ["output", parts.slice(1).join(".")];
  else keys = ["resource", parts[0], parts.slice(1).join(".")];
  const lines = text.split("\n");
  let at = 0;
  for (let depth = 0; depth < keys.length; depth += 1) {
    const prefix = `${" ".repeat(2 * (depth + 1))}${JSON.stringify(keys[depth])}:`;
    const found = lines.findIndex((line, i) => i >= at && line.startsWith(prefix));
    if (found < 0) return 1;
    at = found;
  }
  return at + 1;
}

/** A SARIF 2.1.0 log of the findings, suppressed ones marked with their reason. */
export function toSarif(report: GuardrailsJson, files: StackFiles): Record<string, unknown> {
  const rules = [...report.rules, UNUSED_RULE, NOTHING_CHECKED_RULE];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/-/g, ""),
              shortDescription: { text: r.title },
              fullDescription: { text: `${r.title}. Enforces ${r.controls.join(", ") || "the register's integrity"}.` },
              help: { text: `Fix: ${r.fix}` },
              defaultConfiguration: { level: r.level },
              properties: {
                tags: ["security", ...r.controls],
                controls: r.controls,
                checkov: r.checkov,
                suppressible: r.suppressible,
              },
            })),
          },
        },
        results: report.findings.map((f) => {
          const file = files(f.stack);
          return {
            ruleId: f.ruleId,
            ruleIndex: index.get(f.ruleId) ?? 0,
            level: f.level,
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: file.uri },
                  region: { startLine: lineOf(file.text, f.address) },
                },
                logicalLocations: [{ fullyQualifiedName: f.path, name: f.address || f.path, kind: "resource" }],
              },
            ],
            partialFingerprints: { constructPath: `${f.ruleId}|${f.path}|${f.address}` },
            ...(f.suppressed
              ? {
                  suppressions: [
                    {
                      kind: f.suppressed.origin === "construct" ? "inSource" : "external",
                      status: "accepted",
                      justification: f.suppressed.reason,
                    },
                  ],
                }
              : {}),
          };
        }),
      },
    ],
  };
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** What each status means, as the catalog and the matrices say it. */
const STATUS_MEANINGS: Readonly<Record<ControlStatus, string>> = {
  enforced: "a guardrail rule (each with a fixture that must fail) or a named test with a failing fixture covers it",
  built: "on by default, but no rule or test would fail if it went",
  "opt-in": "available, off by default",
  partial: "some of it is delivered; what is missing is said",
  process: "an organisational duty; what the blueprint gives for it is said",
  absent: "not delivered; why is said",
};

/** `enforced: 12, built: 2, ...` over the given controls, strongest status first. */
function statusCounts(controls: readonly Control[]): string {
  return CONTROL_STATUSES.map((status) => `${status}: ${controls.filter((c) => c.status === status).length}`).join(
    ", ",
  );
}

/** The rule IDs, then the tests, that enforce a control. */
function enforcedBy(control: Control, rules: readonly Pick<RuleJson, "id" | "controls">[]): string[] {
  return [
    ...rules.filter((r) => r.controls.includes(control.id)).map((r) => r.id),
    ...(control.tests ?? []).map((t) => `test "${t.title}" (\`${t.file}\`)`),
  ];
}

/**
 * The catalog of the source design's controls (`docs/controls.md`): every control with its status, what enforces it,
 * what the blueprint delivers and what is missing, by layer, then every item of the design with the controls that
 * answer it. Made from the code alone, so a test can hold the committed file to it.
 */
export function toControlsCatalog(rules: readonly Pick<RuleJson, "id" | "controls">[]): string {
  const controls = [...CONTROLS.values()];
  const out: string[] = [
    "# Controls of the source design",
    "",
    'Every control that "The Ultimate Guide to Secure AI Model Deployment" names, across its five layers and every list in it, with one status that is true of what the blueprint synthesizes. Generated from `policies/guardrails/controls.ts` and the rule pack by `npm run docs:controls`; a test fails when this file and the code disagree, when a control claims `enforced` without a rule or test that has a failing fixture, and when an item of the design has no control.',
    "",
    "Statuses:",
    "",
    ...CONTROL_STATUSES.map((status) => `- \`${status}\`: ${STATUS_MEANINGS[status]}.`),
    "",
    `${controls.length} controls: ${statusCounts(controls)}. Each environment's synth writes \`reports/controls.md\`, which adds the resources each rule checked there and every suppression.`,
    "",
  ];
  for (const layer of CONTROL_LAYERS) {
    const inLayer = controls.filter((c) => c.layer === layer);
    out.push(`## ${layer} layer`, "", `${statusCounts(inLayer)}.`, "");
    out.push("| Control | Status | Rules and tests | What the blueprint delivers | What is missing |");
    out.push("|---|---|---|---|---|");
    for (const c of inLayer) {
      const by = enforcedBy(c, rules);
      out.push(
        `| **${c.id}** ${cell(c.title)} | \`${c.status}\` | ${by.length === 0 ? "nothing" : cell(by.join(", "))} | ${cell(c.delivers)} | ${cell(c.gap ?? "")} |`,
      );
    }
    out.push("");
  }
  out.push("## The design's items", "", "| Section | The design's words | Controls |", "|---|---|---|");
  const items = new Map<string, { section: string; words: string; ids: string[] }>();
  for (const c of controls) {
    for (const s of c.sources) {
      const key = `${s.section}\u0000${s.words}`;
      const item = items.get(key) ?? { section: s.section, words: s.words, ids: [] };
      item.ids.push(`${c.id} (\`${c.status}\`)`);
      items.set(key, item);
    }
  }
  const sorted = [...items.values()].sort(
    (a, b) => a.section.localeCompare(b.section) || a.words.localeCompare(b.words),
  );
  for (const item of sorted) out.push(`| ${cell(item.section)} | ${cell(item.words)} | ${item.ids.join(", ")} |`);
  out.push("");
  return out.join("\n");
}

/**
 * The controls matrix for auditors: for each control of the source design, its status, the rules that enforce it,
 * every resource they checked in this synth with the outcome, and every suppression with its reason.
 */
export function toControlsMarkdown(report: GuardrailsJson): string {
  const out: string[] = [];
  const controls = [...CONTROLS.values()];
  out.push(`# Controls matrix: environment \`${report.environment}\``);
  out.push("");
  out.push(
    `Made by \`npm run synth\` from the synthesized configuration of the stacks ${report.stacks.map((s) => `\`${s}\``).join(", ")}, checked by the rule pack${report.packs.length > 1 ? "s" : ""} ${report.packs.join(", ")} (${report.rules.length} rules). The controls are those of the source design, ${controls.length} in all (${statusCounts(controls)}); the catalog (\`docs/controls.md\`) says what each status means. Findings: ${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.suppressed} suppressed.`,
  );
  out.push("");
  out.push("| Control | Status | Rules | Checks passed | Failed | Suppressed |");
  out.push("|---|---|---|---|---|---|");
  const sections: string[] = [];
  for (const control of controls) {
    const rules = report.rules.filter((r) => r.controls.includes(control.id));
    const ids = new Set(rules.map((r) => r.id));
    const evaluations = report.evaluations.filter((e) => ids.has(e.ruleId));
    const count = (outcome: Evaluation["outcome"]) => evaluations.filter((e) => e.outcome === outcome).length;
    const tests = (control.tests ?? []).length;
    const rulesCell = [rules.map((r) => r.id).join(", "), tests > 0 ? `${tests} test${tests > 1 ? "s" : ""}` : ""]
      .filter((x) => x !== "")
      .join("; ");
    out.push(
      `| ${control.id} ${cell(control.title)} | ${control.status} | ${rulesCell || "none"} | ${count("pass")} | ${count("fail")} | ${count("suppressed")} |`,
    );

    sections.push(`## ${control.id}: ${control.title}`);
    sections.push("");
    for (const s of control.sources) sections.push(`> ${s.words} (${s.section})`);
    sections.push("");
    sections.push(`Status: **${control.status}**. ${control.delivers}${control.gap ? ` Missing: ${control.gap}` : ""}`);
    sections.push("");
    for (const t of control.tests ?? []) sections.push(`- Test: "${t.title}" (\`${t.file}\`)`);
    if (rules.length === 0) {
      sections.push(
        (control.tests ?? []).length > 0
          ? "The tests above enforce this control; no synth-time rule of these packs checks it."
          : "No synth-time rule of these packs checks this control.",
      );
      sections.push("");
      continue;
    }
    sections.push("Rules:");
    for (const r of rules) {
      const mirrors = r.checkov.length > 0 ? `; mirrors ${r.checkov.join(", ")}` : "";
      sections.push(`- **${r.id}** ${r.title} (${r.level}${r.suppressible ? "" : ", cannot be suppressed"}${mirrors})`);
    }
    sections.push("");
    if (evaluations.length === 0) {
      sections.push("No resource of these stacks is subject to these rules.");
    } else {
      sections.push("| Stack | Resource | Construct | Rule | Outcome |");
      sections.push("|---|---|---|---|---|");
      for (const e of evaluations) {
        const level = report.rules.find((r) => r.id === e.ruleId)?.level;
        const failed = level === "warning" ? "warning" : "**FAILED**";
        const outcome = e.outcome === "pass" ? "satisfied" : e.outcome === "fail" ? failed : "suppressed";
        sections.push(`| ${e.stack} | \`${e.address}\` | \`${e.path}\` | ${e.ruleId} | ${outcome} |`);
      }
    }
    const suppressions = report.suppressions.filter((s) => ids.has(s.ruleId));
    sections.push("");
    if (suppressions.length === 0) {
      sections.push("Suppressions: none.");
    } else {
      sections.push("Suppressions:");
      for (const s of suppressions) {
        sections.push(
          `- ${s.ruleId} on \`${s.path}\`${s.applyToChildren ? " and its children" : ""} (${s.origin}, stack ${s.stack}): ${s.reason}`,
        );
      }
    }
    sections.push("");
  }
  const checkovOnly = report.suppressions.filter((s) => !report.rules.some((r) => r.id === s.ruleId));
  out.push("");
  out.push(...sections);
  out.push("## checkov checks suppressed without a guardrail");
  out.push("");
  if (checkovOnly.length === 0) out.push("None.");
  for (const s of checkovOnly) out.push(`- ${s.ruleId} on \`${s.path}\` (${s.origin}, stack ${s.stack}): ${s.reason}`);
  out.push("");
  return out.join("\n");
}
