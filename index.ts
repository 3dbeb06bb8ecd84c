/**
 * The secure model-deployment blueprint as a library: its constructs and its guardrails in one entry point.
 *
 *   import { Guardrails, ModelStore, SecureBucket } from "secure-model-deployment-blueprint";
 *
 * The same exports are also reachable by concern: `secure-model-deployment-blueprint/constructs` and
 * `secure-model-deployment-blueprint/policies`. Nothing deeper is part of the package's interface.
 */
export * from "./constructs";
export * from "./policies";
