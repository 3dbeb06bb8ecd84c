import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import type { Grantable } from "../core/principal";
import { checkKubernetesName } from "../core/kubernetes-names";
import { checkIntegerInRange, checkPattern, checkRoleName } from "../core/validation";
import { GrantPolicy } from "./grant-policy";
import { PolicyDocument, type PolicyStatement } from "./policy-document";

/** The service principal EKS Pod Identity assumes roles as. */
export const POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";

/** The session tags EKS Pod Identity sets on every session, which a trust policy can require. */
export const POD_IDENTITY_TAGS = {
  clusterArn: "aws:RequestTag/eks-cluster-arn",
  namespace: "aws:RequestTag/kubernetes-namespace",
  serviceAccount: "aws:RequestTag/kubernetes-service-account",
} as const;

/** The cluster a workload role serves: its name and its ARN (a literal, so that the trust policy is readable). */
export interface WorkloadCluster {
  /** The cluster's name. */
  readonly clusterName: string;
  /** The cluster's ARN, `arn:<partition>:eks:<region>:<account>:cluster/<name>`. */
  readonly clusterArn: string;
}

/** Properties of a {@link WorkloadRole}. */
export interface WorkloadRoleProps {
  /** The IAM role's name. */
  readonly roleName: string;
  /** What the role is for, shown in the console. Default: `Pod identity of <namespace>/<serviceAccount>`. */
  readonly description?: string;
  /** The cluster whose pods may use the role. */
  readonly cluster: WorkloadCluster;
  /** The namespace of the service account. */
  readonly namespace: string;
  /** The service account the role is bound to; only pods running as it get the role's credentials. */
  readonly serviceAccount: string;
  /**
   * AWS managed policies (`arn:<partition>:iam::aws:policy/...`) the role also holds, for a cluster component whose
   * rights AWS keeps current with its versions (the VPC CNI). Default: none: a workload gets its rights from `grant*`
   * methods only.
   */
  readonly managedPolicyArns?: readonly string[];
  /** Longest session, in seconds: 900 to 43200. Default: 3600 (Pod Identity refreshes credentials before they expire). */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * The AWS identity of one Kubernetes service account through EKS Pod Identity: an IAM role only `pods.eks.amazonaws.com`
 * may assume (`sts:AssumeRole` with `sts:TagSession`), for this account (`aws:SourceAccount`) and only with the session
 * tags of this cluster, namespace and service account, plus the pod identity association that binds them.
 *
 * The role holds nothing until a construct grants it something (`modelStore.grantRead(role, "models/fraud/")`): it
 * is a {@link Grantable}, and every grant lands in its one inline policy. No long-lived key, no node credentials:
 * pods reach the role through the Pod Identity agent, never through the instance metadata service.
 */
export class WorkloadRole extends Construct implements Grantable {
  /** The `aws_iam_role`. */
  public readonly role: IamRole;
  /** The `aws_eks_pod_identity_association`. */
  public readonly association: EksPodIdentityAssociation;
  /** The AWS managed policies attached to the role. */
  public readonly managedPolicies: readonly IamRolePolicyAttachment[];
  /** The namespace of the bound service account. */
  public readonly namespace: string;
  /** The bound service account. */
  public readonly serviceAccount: string;

  private readonly grants: GrantPolicy;

  constructor(scope: Construct, id: string, props: WorkloadRoleProps) {
    super(scope, id);
    const where = this.node.path;
    checkRoleName(where, "roleName", props.roleName);
    checkKubernetesName(where, "namespace", props.namespace);
    checkKubernetesName(where, "serviceAccount", props.serviceAccount);
    checkPattern(
      where,
      "cluster.clusterArn",
      props.cluster.clusterArn,
      /^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/,
      "an EKS cluster ARN, arn:<partition>:eks:<region>:<account>:cluster/<name>",
    );
    for (const arn of props.managedPolicyArns ?? []) {
      checkPattern(
        where,
        "managedPolicyArns",
        arn,
        /^arn:aws[a-z-]*:iam::aws:policy\/[\w+=,.@/-]+$/,
        "AWS managed policy ARNs, arn:<partition>:iam::aws:policy/<name>",
      );
    }
    const maxSessionDuration = props.maxSessionDurationSeconds ?? 3600;
    checkIntegerInRange(where, "maxSessionDurationSeconds", maxSessionDuration, 900, 43200);
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    const context = AwsContext.of(this);

    const trust = new PolicyDocument(
      `${where} trust policy`,
      [
        {
          sid: "EksPodIdentity",
          principals: { service: [POD_IDENTITY_SERVICE] },
          actions: ["sts:AssumeRole", "sts:TagSession"],
          resources: [],
          conditions: {
            StringEquals: {
              "aws:SourceAccount": context.accountId,
              [POD_IDENTITY_TAGS.clusterArn]: props.cluster.clusterArn,
              [POD_IDENTITY_TAGS.namespace]: props.namespace,
              [POD_IDENTITY_TAGS.serviceAccount]: props.serviceAccount,
            },
          },
        },
      ],
      { trustPolicy: true },
    );
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: props.description ?? `Pod identity of ${props.namespace}/${props.serviceAccount}`,
      assumeRolePolicy: trust.toJson(),
      maxSessionDuration,
    });
    this.grants = new GrantPolicy(this, this.role.id, "workload");
    this.managedPolicies = (props.managedPolicyArns ?? []).map(
      (policyArn, i) => new IamRolePolicyAttachment(this, `ManagedPolicy${i}`, { role: this.role.name, policyArn }),
    );
    this.association = new EksPodIdentityAssociation(this, "Association", {
      clusterName: props.cluster.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
      disableSessionTags: false,
    });
  }

  /**
   * The role's ARN, as a reference: a key policy that names the role is then written after the role exists (KMS
   * refuses a policy naming a principal that does not).
   */
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
