import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import type { Grantable } from "../core/principal";
import { checkIntegerInRange, checkPattern, checkRoleName, ValidationError } from "../core/validation";
import { GrantPolicy } from "./grant-policy";
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
  const trust = serviceTrustPolicy(scope, `${scope.node.path} ${options.roleId} trust policy`, options);
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

/** The trust of a role one AWS service assumes for this account only (`aws:SourceAccount`, and `aws:SourceArn`). */
function serviceTrustPolicy(
  scope: Construct,
  where: string,
  options: Pick<ServiceRoleOptions, "service" | "trustSid" | "sourceArn">,
): PolicyDocument {
  const context = AwsContext.of(scope);
  const source = options.sourceArn;
  return new PolicyDocument(
    where,
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
}

/** Services a {@link ServiceRole} cannot be for, and what to use instead. */
const OTHER_ROLES: Readonly<Record<string, string>> = {
  "pods.eks.amazonaws.com": "a WorkloadRole (EKS Pod Identity)",
  "ec2.amazonaws.com": "a role of its own: EC2 sends no aws:SourceAccount when it takes an instance profile's role",
  "eks.amazonaws.com": "SecureEksCluster's cluster role: EKS sends no aws:SourceAccount",
};

/** Properties of a {@link ServiceRole}. */
export interface ServiceRoleProps {
  /** The role's name: 1 to 64 letters, digits and `+=,.@_-`. */
  readonly roleName: string;
  /** The AWS service that assumes the role for this account, e.g. `lambda.amazonaws.com`, `ecs-tasks.amazonaws.com`. */
  readonly service: string;
  /** What the role is for, shown in the console. Default: `Assumed by <service> for this account`. */
  readonly description?: string;
  /**
   * The resources of this account the service may act for, as an ARN pattern (`aws:SourceArn`, `ArnLike`), e.g. one
   * function's ARN. Default: any of this account's (the trust still requires `aws:SourceAccount`).
   */
  readonly sourceArnLike?: string;
  /** Longest session, in seconds: 900 to 43200. Default: 3600. */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * A role one AWS service assumes for this account (a Lambda function's, an ECS task's, a SageMaker job's): its trust
 * names the service alone, only for requests on behalf of this account (`aws:SourceAccount`, optionally narrowed to
 * resources with `aws:SourceArn`), so no other account can have the service act as it (confused deputy). Like a
 * {@link WorkloadRole} it is {@link Grantable} and holds nothing until a construct grants it something
 * (`bucket.grantRead(role, "datasets/")`): every grant lands in its one inline policy.
 *
 * The service must send `aws:SourceAccount` when it assumes the role; EC2 and EKS do not, and are refused.
 */
export class ServiceRole extends Construct implements Grantable {
  /** The `aws_iam_role`. */
  public readonly role: IamRole;
  /** The service that assumes it. */
  public readonly service: string;
  private readonly grants: GrantPolicy;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const where = this.node.path;
    checkRoleName(where, "roleName", props.roleName);
    checkPattern(
      where,
      "service",
      props.service,
      /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/,
      "an AWS service principal such as lambda.amazonaws.com",
    );
    if (OTHER_ROLES[props.service]) {
      throw new ValidationError(
        where,
        "service",
        props.service,
        `allowed: another service; for this one use ${OTHER_ROLES[props.service]}`,
      );
    }
    if (props.sourceArnLike !== undefined) {
      checkPattern(where, "sourceArnLike", props.sourceArnLike, /^arn:aws[a-z-]*:[a-z0-9-]+:/, "an ARN or ARN pattern");
    }
    const maxSessionDuration = props.maxSessionDurationSeconds ?? 3600;
    checkIntegerInRange(where, "maxSessionDurationSeconds", maxSessionDuration, 900, 43200);
    this.service = props.service;
    const trust = serviceTrustPolicy(this, `${where} trust policy`, {
      service: props.service,
      trustSid: "AssumedByService",
      sourceArn: props.sourceArnLike === undefined ? undefined : { like: props.sourceArnLike },
    });
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: props.description ?? `Assumed by ${props.service} for this account`,
      assumeRolePolicy: trust.toJson(),
      maxSessionDuration,
    });
    this.grants = new GrantPolicy(this, this.role.id, "grants");
  }

  /** The role's ARN, as a reference, so that a policy naming it is written after the role exists. */
  public get arn(): string {
    return this.role.arn;
  }

  /** Adds a statement to the role's inline policy (the first one creates the policy). */
  public addToPrincipalPolicy(statement: PolicyStatement): void {
    this.grants.add(statement);
  }

  /** The statements granted so far. */
  public get grantedStatements(): readonly PolicyStatement[] {
    return this.grants.statements;
  }
}
