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
  type PolicyDocumentOptions,
  type PolicyEffect,
  type PolicyPrincipals,
  type PolicyStatement,
} from "./identity/policy-document";
export { KMS_ADMIN_ACTIONS, type KmsGrantConditions, KmsKey, type KmsKeyProps } from "./keys/kms-key";
export {
  EncryptedLogGroup,
  type EncryptedLogGroupProps,
  LOG_RETENTION_DAYS,
} from "./logging/encrypted-log-group";
export {
  type GuardDutyAgentManagement,
  SecureVpc,
  type SecureVpcProps,
  type SubnetIds,
} from "./network/secure-vpc";
export {
  EGRESS_MODES,
  type EgressMode,
  planSubnets,
  type SubnetCidrs,
  type SubnetLayout,
  type SubnetTier,
} from "./network/subnet-layout";
export {
  DEFAULT_INTERFACE_ENDPOINTS,
  GUARDDUTY_DATA_ENDPOINT,
  type InterfaceEndpointSpec,
  VpcEndpoints,
  type VpcEndpointsProps,
} from "./network/vpc-endpoints";
export { VpcFlowLog, type VpcFlowLogProps } from "./network/vpc-flow-log";
