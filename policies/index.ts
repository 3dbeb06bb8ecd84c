/**
 * The blueprint's guardrails, for app teams' own cdktf stacks:
 *
 *   import { Guardrails } from "secure-model-deployment-blueprint/policies";
 *   Guardrails.applyTo(stack);                 // the SecureModelDeployment pack, on every synth
 *   Guardrails.applyTo(stack, { profile: "workload" });  // an app team's stack on a shared platform
 *   Guardrails.suppress(construct, "SMD-S3-4", "This bucket receives the access logs of the model store ...");
 *
 * An error finding fails `app.synth()` with the list of findings; `synthWithGuardrails` also writes the JSON,
 * SARIF and controls-matrix reports.
 */
import "./peer-check";
export {
  CONTROLS,
  type Control,
  type ControlLayer,
  type ControlSource,
  type ControlStatus,
  type ControlTest,
} from "./guardrails/controls";
export {
  type AppliedSuppression,
  type CheckovSkip,
  type Evaluation,
  type Finding,
  GuardrailsError,
  type StackResult,
} from "./guardrails/evaluate";
export { Guardrails, type GuardrailsOptions } from "./guardrails/guardrails";
export { type GuardrailsRecord, recordOf, recordProblem } from "./guardrails/guardrails-record";
export { GuardrailsReport } from "./guardrails/guardrails-report";
export type { GuardrailsJson, RuleJson, FindingJson, SuppressionJson } from "./guardrails/reports";
export { type GuardrailsProfile, PROFILES, profilesOf } from "./guardrails/profiles";
export type { FindingLevel, Rule, RulePack, RuleTarget } from "./guardrails/rule";
export { SecureModelDeployment } from "./guardrails/secure-model-deployment";
export type { ElementKind, ElementPaths, ResolvedStack, StackElement, StackIndex } from "./guardrails/stack-index";
export type { Suppression, SuppressionOrigin } from "./guardrails/suppression";
export { type SynthOptions, type SynthOutcome, synthWithGuardrails } from "./guardrails/synth-app";
