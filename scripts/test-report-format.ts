/** Counting JUnit results and writing them as Markdown, for `scripts/test-report.ts`. */

/** The totals of a JUnit file, and the names of its failed test cases. */
export interface JunitCounts {
  readonly tests: number;
  readonly failures: number;
  readonly skipped: number;
  readonly failed: readonly string[];
}

const ATTRIBUTE = (name: string) => new RegExp(`\\b${name}="([^"]*)"`);

/** Counts the test cases of a JUnit XML document (every `<testcase>`, failed ones by their `<failure>`). */
export function junitCounts(xml: string): JunitCounts {
  let tests = 0;
  let skipped = 0;
  const failed: string[] = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    tests += 1;
    const body = match[3] ?? "";
    const name = ATTRIBUTE("name").exec(match[1])?.[1] ?? "(unnamed)";
    if (/<(failure|error)\b/.test(body)) failed.push(name);
    else if (/<skipped\b/.test(body)) skipped += 1;
  }
  return { tests, failures: failed.length, skipped, failed };
}

/** The report: one row per suite, then every failed case. */
export function testReportMarkdown(rows: readonly { suite: string; counts: JunitCounts }[]): string {
  const lines = [
    "### Tests and scans",
    "",
    "| suite | tests | failed | skipped |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map(({ suite, counts: c }) => `| ${suite} | ${c.tests} | ${c.failures} | ${c.skipped} |`),
  ];
  const failed = rows.flatMap(({ suite, counts }) => counts.failed.map((name) => `- ${suite}: ${name}`));
  if (failed.length > 0) lines.push("", "**Failed:**", "", ...failed);
  return `${lines.join("\n")}\n`;
}
