/**
 * Anything that can be named as an IAM principal: an ARN string, or a construct exposing one
 * (an `IamRole`, a user, a role from another construct).
 */
export type PrincipalLike = string | { readonly arn: string };

/** The ARN of a principal. */
export function principalArn(principal: PrincipalLike): string {
  return typeof principal === "string" ? principal : principal.arn;
}
