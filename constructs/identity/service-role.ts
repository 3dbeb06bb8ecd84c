import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { PolicyDocument, type PolicyStatement } from "./policy-document";

/** What {@link createServiceRole} makes: a role an AWS service assumes, and its one inline policy. */
export interface ServiceRoleOptions {
  /** Construct ID of the `aws_iam_role` in the scope. */
  readonly roleId: string;
  /** Construct ID of the `aws_iam_role_policy` in the scope. */
  readonly policyId: string;
  /** The role's name. */
  readonly name: string;
  /** What the role is for, shown in the console. */
  readonly description: string;
  /** The service principal that assumes it, e.g. `s3.amazonaws.com`. */
  readonly service: string;
  /** Sid of the trust statement, e.g. `S3Replication`. */
  readonly trustSid: string;
  /**
   * The resources of this account the service may act for (`aws:SourceArn`): an exact ARN (`StringEquals`) or an ARN
   * pattern (`ArnLike`). Default: any of this account's (the trust still requires `aws:SourceAccount`).
   */
  readonly sourceArn?: { readonly equals: string } | { readonly like: string };
  /** Name of the inline policy. */
  readonly policyName: string;
  /** The role's permissions. */
  readonly statements: readonly PolicyStatement[];
  /** Longest session, in seconds. Default: IAM's (3600). */
  readonly maxSessionDuration?: number;
}

/**
 * A role that only an AWS service acting for this account may assume (`aws:SourceAccount`, and `aws:SourceArn` when
 * given: no confused deputy), with one inline policy. The resources are created directly in `scope` under the IDs
 * given, so their construct paths are the caller's own.
 */
export function createServiceRole(
  scope: Construct,
  options: ServiceRoleOptions,
): { role: IamRole; policy: IamRolePolicy } {
  const context = AwsContext.of(scope);
  const source = options.sourceArn;
  const trust = new PolicyDocument(
    `${scope.node.path} ${options.roleId} trust policy`,
    [
      {
        sid: options.trustSid,
        principals: { service: [options.service] },
        actions: ["sts:AssumeRole"],
        resources: [],
        conditions: {
          StringEquals: {
            "aws:SourceAccount": context.accountId,
            ...(source && "equals" in source ? { "aws:SourceArn": source.equals } : {}),
          },
          ...(source && "like" in source ? { ArnLike: { "aws:SourceArn": source.like } } : {}),
        },
      },
    ],
    { trustPolicy: true },
  );
  const role = new IamRole(scope, options.roleId, {
    name: options.name,
    description: options.description,
    assumeRolePolicy: trust.toJson(),
    maxSessionDuration: options.maxSessionDuration,
  });
  const permissions = new PolicyDocument(`${scope.node.path} ${options.policyId}`, options.statements);
  const policy = new IamRolePolicy(scope, options.policyId, {
    name: options.policyName,
    role: role.id,
    policy: permissions.toJson(),
  });
  return { role, policy };
}
