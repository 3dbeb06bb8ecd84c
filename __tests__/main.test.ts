import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

/** Runs the app as `npm run synth` does, with no AWS credentials in its environment. */
function runApp(env: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), "blueprint-main-"));
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) clean[k] = v;
  const result = spawnSync(process.execPath, ["--import", "tsx", "main.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...clean, CDKTF_OUTDIR: outdir, BLUEPRINT_REPORTS_DIR: join(outdir, "reports"), ...env },
  });
  const stacks = existsSync(join(outdir, "stacks")) ? readdirSync(join(outdir, "stacks")).sort() : [];
  rmSync(outdir, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr, stacks };
}

describe("main.ts", () => {
  it("synthesizes the default environment with no AWS credentials, printing only the guardrails' warnings", () => {
    const { status, stacks, stderr } = runApp({});
    expect(status).toBe(0);
    expect(stacks).toEqual(["baseline", "bootstrap", "platform-dev", "workloads-dev"]);
    // dev names no account, so the provider cannot be pinned to one: a warning, not an error.
    expect(stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^warning: \[bootstrap\/aws\] SMD-TF-3 /),
      expect.stringMatching(/^warning: \[baseline\/aws\] SMD-TF-3 /),
      expect.stringMatching(/^warning: \[platform-dev\/aws\] SMD-TF-3 /),
      expect.stringMatching(/^warning: \[workloads-dev\/aws\] SMD-TF-3 /),
    ]);
  });

  it("chooses another environment by name", () => {
    expect(runApp({ BLUEPRINT_ENV: "prod" }).stacks).toEqual([
      "baseline",
      "bootstrap",
      "platform-prod",
      "workloads-prod",
    ]);
  });

  it("rejects an unknown environment, listing the known ones, and writes no stack", () => {
    const { status, stderr, stacks } = runApp({ BLUEPRINT_ENV: "staging" });
    expect(status).toBe(1);
    expect(stderr).toBe(
      'error: BLUEPRINT_ENV: environment = "staging" is not allowed; known environments: dev, prod\n',
    );
    expect(stacks).toEqual([]);
  });

  it("rejects an unknown backend", () => {
    const { status, stderr } = runApp({ BLUEPRINT_BACKEND: "consul" });
    expect(status).toBe(1);
    expect(stderr).toMatch(/BLUEPRINT_BACKEND: backend = "consul" is not allowed; allowed: s3 or local/);
  });
});
