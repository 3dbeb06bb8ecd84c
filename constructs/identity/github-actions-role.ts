import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { checkIntegerInRange, checkPattern, checkRoleName, ValidationError } from "../core/validation";
import { PolicyDocument, type PolicyStatement, suppressWildcardActions } from "./policy-document";

/** GitHub Actions' OIDC issuer, without the scheme: how IAM names the provider. */
export const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";
/** The audience GitHub's token carries for AWS (configure-aws-credentials' default). */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** Checks a GitHub repository name: `owner/name`, no wildcards. */
export function checkRepository(where: string, property: string, repository: string): void {
  checkPattern(
    where,
    property,
    repository,
    REPOSITORY,
    "a GitHub repository as owner/name (letters, digits, hyphens; no wildcards)",
  );
  if (repository.endsWith("/.") || repository.endsWith("/..")) {
    throw new ValidationError(where, property, repository, "allowed: a real repository name");
  }
}

/** Which workflow runs of the repository may assume the role: the `sub` claim GitHub puts in the token. */
export type GithubWorkflowSubject =
  /** Runs for pull requests: `repo:owner/name:pull_request`. */
  | { readonly pullRequest: true }
  /** Jobs that name this GitHub environment: `repo:owner/name:environment:<name>`. */
  | { readonly environment: string };

/** Properties of a {@link GithubActionsRole}. */
export interface GithubActionsRoleProps {
  /** The IAM role's name. */
  readonly roleName: string;
  /** What the role is for, shown in the console. */
  readonly description: string;
  /** The repository, `owner/name`, whose workflows may assume the role. */
  readonly repository: string;
  /** Which of its runs may. */
  readonly subject: GithubWorkflowSubject;
  /** ARN of the permissions boundary the role carries. */
  readonly permissionsBoundaryArn: string;
  /**
   * The role's permissions, as policy statements (rendered into one inline policy). Default: none, for a role whose
   * rights all come from resource policies (a bucket, key or repository policy naming it).
   */
  readonly statements?: readonly PolicyStatement[];
  /** Longest session, in seconds: 900 to 43200. Default: 3600. */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * An IAM role that GitHub Actions assumes with its OIDC token: no long-lived key exists. The trust policy names the
 * account's GitHub OIDC provider and requires both claims exactly: `aud` = `sts.amazonaws.com` and `sub` = one
 * repository's pull requests or one of its GitHub environments (`StringEquals`, never `StringLike`), which is what
 * checkov's CKV_AWS_358/CKV_AWS_393 and the guardrail SMD-IAM-5 ask. The role always carries a permissions boundary.
 */
export class GithubActionsRole extends Construct {
  /** The `aws_iam_role`. */
  public readonly role: IamRole;
  /** The `sub` claim the trust policy admits. */
  public readonly subjectClaim: string;

  constructor(scope: Construct, id: string, props: GithubActionsRoleProps) {
    super(scope, id);
    const where = this.node.path;
    checkRepository(where, "repository", props.repository);
    checkRoleName(where, "roleName", props.roleName);
    if ("environment" in props.subject) {
      checkPattern(
        where,
        "subject.environment",
        props.subject.environment,
        /^[A-Za-z0-9_.-]{1,255}$/,
        "a GitHub environment name: letters, digits, _ . -",
      );
    }
    const maxSessionDuration = props.maxSessionDurationSeconds ?? 3600;
    checkIntegerInRange(where, "maxSessionDurationSeconds", maxSessionDuration, 900, 43200);
    const claim = "environment" in props.subject ? `environment:${props.subject.environment}` : "pull_request";
    this.subjectClaim = `repo:${props.repository}:${claim}`;
    const context = AwsContext.of(this);
    // The provider's ARN is written out, not referenced, so that scanners can see which issuer the role trusts.
    const provider = context.iamArn(`oidc-provider/${GITHUB_OIDC_ISSUER}`);
    const trust = new PolicyDocument(
      `${where} trust policy`,
      [
        {
          sid: "GithubActions",
          principals: { federated: [provider] },
          actions: ["sts:AssumeRoleWithWebIdentity"],
          resources: [],
          conditions: {
            StringEquals: {
              [`${GITHUB_OIDC_ISSUER}:aud`]: GITHUB_OIDC_AUDIENCE,
              [`${GITHUB_OIDC_ISSUER}:sub`]: this.subjectClaim,
            },
          },
        },
      ],
      { trustPolicy: true },
    );
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: trust.toJson(),
      permissionsBoundary: props.permissionsBoundaryArn,
      maxSessionDuration,
    });
    const statements = props.statements ?? [];
    if (statements.length > 0) {
      const permissions = new PolicyDocument(`${where} policy`, statements);
      const policy = new IamRolePolicy(this, "Policy", {
        name: "permissions",
        role: this.role.id,
        policy: permissions.toJson(),
      });
      suppressWildcardActions(policy, permissions);
    }
  }

  /** The role's ARN. */
  public get arn(): string {
    return this.role.arn;
  }
}
