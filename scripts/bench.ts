/**
 * `npm run bench`: times the synth of every stack of the default environment as `npm run synth` runs it
 * (a transpile-only app: node + tsx), one warm-up and then at least 5 measured runs, and reports the median wall
 * time and the peak memory. Exits 1 when over budget (DESIGN.md: 1.5 s and 400 MB on a 2-core machine).
 *
 *   npm run bench -- --runs 9 --env prod
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const BUDGET_MS = 1500;
const BUDGET_MB = 400;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): number {
  const runs = Math.max(5, Number(option("runs", "7")));
  const env = option("env", process.env.BLUEPRINT_ENV || "dev");
  const dir = mkdtempSync(join(tmpdir(), "blueprint-bench-"));
  const times: number[] = [];
  const memory: number[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const usageFile = join(dir, `usage-${i}.json`);
      const start = process.hrtime.bigint();
      const result = spawnSync(
        process.execPath,
        ["--require", join(ROOT, "scripts", "report-usage.cjs"), "--import", "tsx", "main.ts"],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, BLUEPRINT_ENV: env, CDKTF_OUTDIR: join(dir, "out"), BLUEPRINT_USAGE_FILE: usageFile },
        },
      );
      const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) {
        process.stderr.write(result.stderr);
        throw new Error(`synth failed (exit ${result.status})`);
      }
      if (i === 0) continue; // warm-up: fills the OS file cache and tsx's transform cache
      times.push(elapsedMs);
      memory.push((JSON.parse(readFileSync(usageFile, "utf8")) as { maxRssKiB: number }).maxRssKiB / 1024);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const medianMs = median(times);
  const peakMb = Math.max(...memory);
  console.log(`synth of environment "${env}" (all stacks), ${runs} runs after one warm-up:`);
  console.log(
    `  wall time: median ${medianMs.toFixed(0)} ms, min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (budget ${BUDGET_MS} ms)`,
  );
  console.log(
    `  peak memory: ${peakMb.toFixed(0)} MB max RSS, median ${median(memory).toFixed(0)} MB (budget ${BUDGET_MB} MB)`,
  );
  const within = medianMs < BUDGET_MS && peakMb < BUDGET_MB;
  console.log(within ? "  within budget" : "  OVER BUDGET");
  return within ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 2;
}
