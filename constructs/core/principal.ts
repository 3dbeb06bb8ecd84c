import type { PolicyStatement } from "../identity/policy-document";

/**
 * Anything that can be named as an IAM principal: an ARN string, or a construct exposing one
 * (an `IamRole`, a user, a role from another construct).
 */
export type PrincipalLike = string | { readonly arn: string };

/**
 * A principal whose own (identity) policy a construct can extend: `grant*` methods put their statements there, so
 * that the rights show on the role, and resource policies stay short.
 */
export interface Grantable {
  /** The principal's ARN. */
  readonly arn: string;
  /** Adds a statement to the principal's identity policy. */
  addToPrincipalPolicy(statement: PolicyStatement): void;
}

/** The ARN of a principal. */
export function principalArn(principal: PrincipalLike | Grantable): string {
  return typeof principal === "string" ? principal : principal.arn;
}

/** True when a principal takes statements in its own policy. */
export function isGrantable(principal: PrincipalLike | Grantable): principal is Grantable {
  return typeof principal !== "string" && typeof (principal as Grantable).addToPrincipalPolicy === "function";
}
