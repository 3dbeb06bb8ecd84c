/**
 * CI's Terraform step for one synthesized environment (run `npm run synth` with BLUEPRINT_ENV first):
 *
 *   scripts/terraform.ts plan    init and plan every stack in deploy order; summary to reports/plan-<env>.md
 *   scripts/terraform.ts apply   the same, then apply each saved plan, stack by stack (bootstrap excluded)
 *
 * The summary is appended to the GitHub job summary when GITHUB_STEP_SUMMARY is set. Exits 1 when any Terraform
 * command fails. Needs Terraform 1.10+ and credentials for the environment's account (the CI roles).
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  deployOrder,
  type Manifest,
  type PlanJson,
  planCounts,
  planMarkdown,
  type StackJson,
  type StackSummary,
  waitsForApply,
} from "./terraform-plan";

/** Applied by an administrator, once per account: the pipeline's apply role may not touch its own roles. */
const ADMIN_ONLY_STACKS = ["bootstrap"];

function terraform(stackDir: string, args: string[], capture = false): string {
  const result = spawnSync("terraform", [`-chdir=${stackDir}`, ...args], {
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`terraform ${args[0]} failed in ${stackDir}`);
  return capture ? result.stdout : "";
}

function main(): number {
  const mode = process.argv[2];
  if (mode !== "plan" && mode !== "apply") {
    console.error("usage: scripts/terraform.ts plan|apply");
    return 2;
  }
  const environment = process.env.BLUEPRINT_ENV ?? "dev";
  const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  const stacks = deployOrder(manifest).filter((s) => mode === "plan" || !ADMIN_ONLY_STACKS.includes(s));
  const summary: StackSummary[] = [];
  const plans = new Map<string, PlanJson>();
  try {
    for (const stack of stacks) {
      const dir = join(outdir, "stacks", stack);
      if (mode === "plan") {
        const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackJson;
        const dependencies = (manifest.stacks[stack].dependencies ?? []).flatMap((d) => {
          const plan = plans.get(d);
          return plan ? [{ stack: d, plan }] : [];
        });
        const waiting = waitsForApply(json, dependencies);
        if (waiting) {
          summary.push({ stack, waiting });
          continue;
        }
      }
      terraform(dir, ["init", "-input=false", "-no-color"]);
      terraform(dir, ["plan", "-input=false", "-no-color", "-lock-timeout=5m", "-out=tfplan"]);
      const plan = JSON.parse(terraform(dir, ["show", "-json", "tfplan"], true)) as PlanJson;
      plans.set(stack, plan);
      summary.push({ stack, counts: planCounts(plan) });
      if (mode === "apply") terraform(dir, ["apply", "-input=false", "-no-color", "-lock-timeout=5m", "tfplan"]);
    }
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 1;
  } finally {
    const markdown = planMarkdown(environment, summary);
    mkdirSync("reports", { recursive: true });
    writeFileSync(join("reports", `plan-${environment}.md`), markdown);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
  }
  return 0;
}

process.exitCode = main();
