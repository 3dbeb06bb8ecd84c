import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { ciNames, ENVIRONMENTS, releaseEnvironments } from "../../stacks/config";

const DIR = join(__dirname, "..", "..", ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const text = (file: string) => readFileSync(join(DIR, file), "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  uses?: string;
  permissions?: Record<string, string>;
  "timeout-minutes"?: number;
  environment?: string;
  needs?: string | string[];
  steps?: Step[];
  with?: Record<string, string>;
  strategy?: { matrix: { include: Record<string, string>[] } };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(text(file)) as Workflow;

describe("the GitHub Actions workflows", () => {
  it("are the ones the pipeline needs", () => {
    expect(files.sort()).toEqual([
      "apply.yml",
      "checks.yml",
      "deploy.yml",
      "model-release.yml",
      "pr.yml",
      "release.yml",
    ]);
  });

  it.each(files)("%s passes action-validator (the workflow schema)", (file) => {
    expect(validateWorkflow(text(file)).errors).toEqual([]);
  });

  it("would fail a broken workflow (the validator can fail)", () => {
    const broken =
      "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: reed\n";
    expect(validateWorkflow(broken).errors).not.toEqual([]);
  });

  it.each(files)("%s pins every action to a full commit SHA, with its version in a comment", (file) => {
    const uses = [...text(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map((m) => [m[1], m[2].trim()]);
    expect(uses.length).toBeGreaterThan(0);
    for (const [target, comment] of uses) {
      if (target.startsWith("./")) continue; // a reusable workflow of this repository
      expect([target, comment]).toEqual([
        expect.stringMatching(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/),
        expect.stringMatching(/^# v\d+(\.\d+)*$/),
      ]);
    }
  });

  it.each(files)("%s grants read-only contents by default and declares permissions on every job", (file) => {
    const wf = workflow(file);
    expect(wf.permissions).toEqual({ contents: "read" });
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect([name, job.permissions]).toEqual([name, expect.objectContaining({ contents: "read" })]);
      if (!job.uses) expect([name, job["timeout-minutes"]]).toEqual([name, expect.any(Number)]);
    }
  });

  it("grants each permission only to the job that uses it", () => {
    const granted = files.flatMap((file) =>
      Object.entries(workflow(file).jobs).flatMap(([name, job]) =>
        Object.entries(job.permissions ?? {})
          .filter(([, level]) => level === "write")
          .map(([scope]) => `${file} ${name} ${scope}`),
      ),
    );
    expect(granted.sort()).toEqual(
      [
        "apply.yml apply id-token", // OIDC for the apply role
        "checks.yml checks security-events", // SARIF to code scanning
        "deploy.yml checks security-events", // passed on to checks.yml
        "deploy.yml dev id-token", // passed on to apply.yml
        "deploy.yml prod id-token",
        "model-release.yml publish id-token", // OIDC for the model publisher role
        "pr.yml checks security-events",
        "pr.yml plan id-token", // OIDC for the plan role
        "pr.yml plan pull-requests", // the plan comment
        "release.yml checks security-events",
        "release.yml publish id-token", // npm provenance
      ].sort(),
    );
  });

  it("plans on pull requests with each environment's plan role, and never with an apply role", () => {
    const pr = workflow("pr.yml");
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(pr.concurrency).toBeDefined();
    const include = pr.jobs.plan.strategy?.matrix.include ?? [];
    expect(include.map((e) => e.environment).sort()).toEqual(Object.keys(ENVIRONMENTS).sort());
    for (const entry of include) {
      const env = ENVIRONMENTS[entry.environment];
      expect(entry).toEqual({ environment: env.name, region: env.region, "plan-role": ciNames(env).planRole });
    }
    expect(text("pr.yml")).not.toMatch(/ci-apply/);
    // A job that names a GitHub environment gets that environment's sub claim: the plan job must not.
    expect(pr.jobs.plan.environment).toBeUndefined();
    const steps = (pr.jobs.plan.steps ?? []).map((s) => s.run ?? s.uses ?? "");
    expect(steps.findIndex((s) => s.includes("terraform.ts plan"))).toBeGreaterThan(
      steps.findIndex((s) => s.includes("npm run synth")),
    );
  });

  it("deploys on main, every environment in order through its GitHub environment with its apply role", () => {
    const deploy = workflow("deploy.yml");
    expect(deploy.on).toEqual({ push: { branches: ["main"] } });
    expect(deploy.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
    expect(deploy.jobs.dev.needs).toBe("checks");
    expect(deploy.jobs.prod.needs).toBe("dev");
    for (const name of ["dev", "prod"]) {
      const env = ENVIRONMENTS[name];
      expect(deploy.jobs[name]).toMatchObject({
        uses: "./.github/workflows/apply.yml",
        with: { environment: name, region: env.region, "apply-role": ciNames(env).applyRole },
      });
    }
    const apply = workflow("apply.yml");
    expect(apply.jobs.apply.environment).toBe("${{ inputs.environment }}");
    expect(text("apply.yml")).toContain("terraform.ts apply");
  });

  it("runs the same checks on pull requests and on main: npm test, SARIF for every environment, the report", () => {
    for (const file of ["pr.yml", "deploy.yml"])
      expect(workflow(file).jobs.checks.uses).toBe("./.github/workflows/checks.yml");
    const checks = text("checks.yml");
    expect(checks).toContain("run: npm test");
    expect(checks).toContain("run: npm run report");
    for (const name of Object.keys(ENVIRONMENTS)) {
      expect(checks).toContain(`category: guardrails-${name}`);
      expect(checks).toContain(`category: checkov-${name}`);
    }
  });
});

describe("the release workflow", () => {
  const release = workflow("release.yml");
  const steps = (release.jobs.publish.steps ?? []).map((s) => s.run ?? s.uses ?? "");

  it("runs on version tags only, after the same checks as every change", () => {
    expect(release.on).toEqual({ push: { tags: ["v*.*.*"] } });
    expect(release.concurrency).toEqual({ group: "release", "cancel-in-progress": false });
    expect(release.jobs.checks.uses).toBe("./.github/workflows/checks.yml");
    expect(release.jobs.publish.needs).toBe("checks");
  });

  it("publishes the packed tarball with provenance from a protected environment, after checking tag and changelog", () => {
    expect(release.jobs.publish.environment).toBe("npm-release");
    expect(release.jobs.publish.permissions).toEqual({ contents: "read", "id-token": "write" });
    const at = (fragment: string) => steps.findIndex((s) => s.includes(fragment));
    expect(at("GITHUB_REF_NAME")).toBeGreaterThanOrEqual(0);
    expect(at("npm ci")).toBeGreaterThan(at("GITHUB_REF_NAME"));
    expect(at("npm pack")).toBeGreaterThan(at("npm ci"));
    expect(at("npm publish --provenance --access public ./secure-model-deployment-blueprint-")).toBeGreaterThan(
      at("npm pack"),
    );
  });

  it("checks the API reference with every change and keeps it", () => {
    const checks = text("checks.yml");
    expect(checks).toContain("run: npm run docs:api");
    expect(checks).toContain("path: reports/api-reference/");
  });
});

describe("the model release workflow", () => {
  const release = workflow("model-release.yml");
  const job = release.jobs.publish;
  const steps = job.steps ?? [];

  it("runs by hand only, one release per model and environment at a time", () => {
    expect(Object.keys(release.on)).toEqual(["workflow_dispatch"]);
    const inputs = (release.on.workflow_dispatch as { inputs: Record<string, { options?: string[] }> }).inputs;
    expect(Object.keys(inputs)).toEqual(["environment", "model", "version", "artifact", "run-id"]);
    expect(inputs.environment.options?.sort()).toEqual(Object.keys(ENVIRONMENTS).sort());
    expect(release.concurrency).toEqual({
      group: "model-release-${{ inputs.environment }}-${{ inputs.model }}",
      "cancel-in-progress": false,
    });
  });

  it("publishes with the model publisher role, from the GitHub environment that role alone trusts", () => {
    expect(job.environment).toBe("${{ inputs.environment }}-model-release");
    for (const env of Object.values(ENVIRONMENTS)) {
      expect(releaseEnvironments(env).models).toBe(`${env.name}-model-release`);
    }
    expect(job.permissions).toEqual({ contents: "read", actions: "read", "id-token": "write" });
    const credentials = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(credentials?.with?.["role-to-assume"]).toBe(
      "arn:aws:iam::${{ fromJSON(vars.AWS_ACCOUNT_IDS)[inputs.environment] }}:role/${{ steps.release.outputs.publisher-role }}",
    );
  });

  it("signs with publish-model.sh after resolving the version's place, the artifact downloaded, the role assumed", () => {
    const at = (fragment: string) => steps.findIndex((s) => (s.run ?? s.uses ?? "").includes(fragment));
    expect(at("scripts/model-release.ts")).toBeGreaterThan(at("npm ci"));
    expect(at("actions/download-artifact@")).toBeGreaterThan(at("scripts/model-release.ts"));
    expect(at("aws-actions/configure-aws-credentials@")).toBeGreaterThan(at("actions/download-artifact@"));
    expect(at("scripts/publish-model.sh")).toBe(steps.length - 1);
  });

  it("never puts an input into a script: inputs reach the shell as environment variables", () => {
    for (const step of steps.filter((s) => s.run)) expect(step.run).not.toContain("${{");
  });
});

describe("dependabot", () => {
  it("updates npm, the checkov pin (pip) and the actions", () => {
    const config = parse(readFileSync(join(__dirname, "..", "..", ".github", "dependabot.yml"), "utf8")) as {
      updates: { "package-ecosystem": string; directory: string }[];
    };
    expect(config.updates.map((u) => [u["package-ecosystem"], u.directory])).toEqual([
      ["npm", "/"],
      ["pip", "/policies/checkov"],
      ["github-actions", "/"],
    ]);
  });
});
