/**
 * Writes `docs/controls.md`, the catalog of the source design's controls, from `policies/guardrails/controls.ts` and
 * the rule pack. `npm run docs:controls`; a test holds the committed file to this output.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { toControlsCatalog } from "../policies/guardrails/reports";
import { SecureModelDeployment } from "../policies/guardrails/secure-model-deployment";

const file = join(__dirname, "..", "docs", "controls.md");
writeFileSync(file, toControlsCatalog(SecureModelDeployment.rules));
console.log(`wrote ${file}`);
