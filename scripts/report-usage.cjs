// Preloaded by scripts/bench.ts into each synth it times: writes the process's peak memory when it exits.
const { writeFileSync } = require("node:fs");

const target = process.env.BLUEPRINT_USAGE_FILE;
if (target) {
  process.on("exit", () => {
    writeFileSync(target, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
  });
}
