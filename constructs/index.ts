/**
 * The blueprint's construct library: what app teams import into their own stacks.
 *
 *   import { KmsKey } from "secure-model-deployment-blueprint/constructs";
 *
 * Every construct is secure by default, validates its props when created (a `ValidationError` names the construct
 * path, the prop, the bad value and what is allowed) and offers `grant*` methods instead of hand-written IAM.
 */
export { AwsContext, type AwsContextProps, partitionOf } from "./core/aws-context";
export { type PrincipalLike, principalArn } from "./core/principal";
export { ValidationError } from "./core/validation";
export {
  type PolicyConditions,
  PolicyDocument,
  type PolicyEffect,
  type PolicyPrincipals,
  type PolicyStatement,
} from "./identity/policy-document";
export { KMS_ADMIN_ACTIONS, type KmsGrantConditions, KmsKey, type KmsKeyProps } from "./keys/kms-key";
