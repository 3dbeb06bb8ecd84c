/**
 * `npm run report`: the test and scan results under reports/ as Markdown (jest's JSON, checkov's JUnit per
 * environment), printed and appended to the GitHub job summary when GITHUB_STEP_SUMMARY is set. The JUnit and SARIF
 * files themselves are kept as the workflow's artifact and uploaded to code scanning.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { junitCounts, testReportMarkdown } from "./test-report-format";

function main(): void {
  const rows: { suite: string; counts: ReturnType<typeof junitCounts> }[] = [];
  const jest = "reports/jest-results.json";
  if (existsSync(jest)) {
    const r = JSON.parse(readFileSync(jest, "utf8"));
    rows.push({
      suite: "jest",
      counts: { tests: r.numTotalTests, failures: r.numFailedTests, skipped: r.numPendingTests, failed: [] },
    });
  }
  const checkov = "reports/checkov";
  for (const environment of existsSync(checkov) ? readdirSync(checkov).sort() : []) {
    const file = join(checkov, environment, "results_junitxml.xml");
    if (existsSync(file))
      rows.push({ suite: `checkov ${environment}`, counts: junitCounts(readFileSync(file, "utf8")) });
  }
  const markdown = testReportMarkdown(rows);
  process.stdout.write(markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
}

main();
