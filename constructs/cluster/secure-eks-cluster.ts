import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import {
  VpcSecurityGroupIngressRule,
  type VpcSecurityGroupIngressRuleConfig,
} from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { dependable, type ITerraformDependable, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { AwsContext } from "../core/aws-context";
import { parseCidr } from "../core/cidr";
import { checkIntegerInRange, checkLowercaseName, checkRoleArn, isToken, ValidationError } from "../core/validation";
import { PolicyDocument } from "../identity/policy-document";
import { checkKubernetesGroup, checkKubernetesName } from "../core/kubernetes-names";
import { WorkloadRole } from "../identity/workload-role";
import type { CustomerKeyProps } from "../keys/key-policy";
import { KmsKey } from "../keys/kms-key";
import { EncryptedLogGroup } from "../logging/encrypted-log-group";
import { type ContainerRegistry, ECR_PULL_ACTIONS, ECR_PULL_THROUGH_ACTIONS } from "../registry/container-registry";
import { addonRegistryRepositoryArns } from "./aws-image-registries";
import { checkKubernetesVersion } from "./kubernetes-versions";

/** Every control-plane log type EKS offers; the cluster sends all of them. */
export const CONTROL_PLANE_LOG_TYPES: readonly string[] = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
];

/** The port EKS's metrics-server add-on serves the resource metrics API on (the API server calls it there). */
export const METRICS_SERVER_PORT = 10251;

/** The EKS access policies an access entry may be given, by the name config uses. */
export const CLUSTER_ACCESS_POLICIES = {
  /** Everything, cluster-wide (`AmazonEKSClusterAdminPolicy`); never namespace-scoped. */
  "cluster-admin": "AmazonEKSClusterAdminPolicy",
  /** Most resources, RBAC included, in its scope (`AmazonEKSAdminPolicy`). */
  admin: "AmazonEKSAdminPolicy",
  /** Create, change and delete workloads, no RBAC (`AmazonEKSEditPolicy`). */
  edit: "AmazonEKSEditPolicy",
  /** Read-only, no Secrets (`AmazonEKSViewPolicy`). */
  view: "AmazonEKSViewPolicy",
} as const;
/** The name of one of EKS's access policies, a key of {@link CLUSTER_ACCESS_POLICIES}. */
export type ClusterAccessPolicy = keyof typeof CLUSTER_ACCESS_POLICIES;

/** One IAM role's access to the cluster's Kubernetes API. */
export interface ClusterAccess {
  /** The IAM role, by ARN. */
  readonly principalArn: string;
  /** Its access policy. Default: none: its rights come from RBAC bindings of its `kubernetesGroups`. */
  readonly policy?: ClusterAccessPolicy;
  /** Namespaces the policy holds in (not with `cluster-admin`, which is cluster-wide). Default: the whole cluster. */
  readonly namespaces?: readonly string[];
  /**
   * Kubernetes groups the role's identity is given, which RBAC bindings name (the workloads stack binds the
   * `model-reader` Role to one). Not `system:` or AWS prefixes. Default: none.
   */
  readonly kubernetesGroups?: readonly string[];
}

/** Where the cluster runs: the VPC and its private subnets. */
export interface ClusterNetwork {
  /** The VPC's ID. */
  readonly vpcId: string;
  /** The VPC's CIDR: nodes reach the interface endpoints and the API server over HTTPS inside it. */
  readonly vpcCidr: string;
  /** Private subnets in at least two zones: the control plane's network interfaces and the nodes. */
  readonly subnetIds: readonly string[];
  /** The prefix list of the S3 gateway endpoint: nodes reach S3 (image layers, models) through it only. */
  readonly s3PrefixListId: string;
}

/** Properties of a {@link SecureEksCluster}. */
export interface SecureEksClusterProps {
  /** The cluster's name, also the prefix of its roles, keys and groups: lowercase letters, digits, hyphens, 2 to 40. */
  readonly name: string;
  /** Kubernetes version: one of `SUPPORTED_KUBERNETES_VERSIONS`. */
  readonly kubernetesVersion: string;
  /** The VPC and private subnets. */
  readonly network: ClusterNetwork;
  /** Key of the control-plane log group. */
  readonly logsKey: KmsKey;
  /** Days the control-plane logs are kept: one of CloudWatch Logs' periods. Default: 365. */
  readonly logRetentionInDays?: number;
  /** The registry nodes pull from: the node role is its only puller, and pulls from no other repository of the account. */
  readonly registry: ContainerRegistry;
  /** IAM roles with access to the Kubernetes API, and what access. Default: none (no one, not even the creator). */
  readonly access?: readonly ClusterAccess[];
  /**
   * Opens the API server to the internet for these CIDRs (the private endpoint stays on): an explicit opt-out of the
   * private-only endpoint. Never `0.0.0.0/0`. Default: no public endpoint.
   */
  readonly allowPublicEndpoint?: { readonly cidrs: readonly string[] };
  /**
   * Node ports the API server may reach besides the kubelet's (10250) and 443: admission webhooks and aggregated APIs
   * served on other ports (9443, ...). Default: none.
   */
  readonly webhookPorts?: readonly number[];
  /** Refuses deletion of the cluster by any API call until it is turned off. Default: true. */
  readonly deletionProtection?: boolean;
  /**
   * `STANDARD`: EKS upgrades the control plane when standard support ends; `EXTENDED`: it stays, at extra cost, on an
   * old version for up to a year. Default: `STANDARD`.
   */
  readonly supportType?: "STANDARD" | "EXTENDED";
  /** Administrators, viewers and deletion window of the cluster's keys (Secrets, node volumes). Default: the deployer administers. */
  readonly keys?: Pick<CustomerKeyProps, "administrators" | "viewers" | "deletionWindowInDays">;
}

/**
 * A private EKS cluster: API endpoint in the VPC only (a public one only as a named opt-out with an allowlist),
 * Secrets envelope-encrypted with its own {@link KmsKey}, all five control-plane log types into a KMS-encrypted log
 * group created first, access entries only (`authentication_mode = API`, no admin rights for the creator), deletion
 * protection, standard support. Its security groups admit, rule by described rule, only what the control plane and
 * nodes need of each other; nodes reach nothing but the VPC (endpoints, API server) and S3 through the gateway.
 *
 * It makes the node role (worker-node minimal policy; pulls only from the blueprint's registry and the AWS
 * registries of the EKS and GuardDuty add-ons), the key for node volumes, and the add-ons: the VPC CNI with
 * network-policy enforcement and its own pod identity (not the node role), CoreDNS, kube-proxy and the Pod Identity
 * agent. Node groups join with `SecureNodeGroup` and `GpuNodeGroup`.
 */
export class SecureEksCluster extends Construct {
  /** The `aws_eks_cluster`. */
  public readonly cluster: EksCluster;
  /** The cluster's name, as a literal (for the names of what belongs to it). */
  public readonly name: string;
  /** The cluster's ARN, as a literal built from its name (trust policies need it readable). */
  public readonly clusterArn: string;
  /** Kubernetes version. */
  public readonly kubernetesVersion: string;
  /** Key that envelope-encrypts the cluster's Secrets. */
  public readonly secretsKey: KmsKey;
  /** Key of the nodes' EBS volumes. */
  public readonly nodeVolumeKey: KmsKey;
  /** The control-plane log group. */
  public readonly logGroup: EncryptedLogGroup;
  /** The role the control plane runs as. */
  public readonly clusterRole: IamRole;
  /** The role every node runs as. */
  public readonly nodeRole: IamRole;
  /** The additional security group of the control plane's network interfaces. */
  public readonly controlPlaneSecurityGroup: SecurityGroup;
  /** The nodes' security group. */
  public readonly nodeSecurityGroup: SecurityGroup;
  /** The VPC CNI's pod identity. */
  public readonly cniRole: WorkloadRole;
  /** The managed add-ons, by name. */
  public readonly addons: Readonly<Record<string, EksAddon>>;
  /** The private subnets nodes go in. */
  public readonly subnetIds: readonly string[];

  /** What a node group must wait for: the node role's rights and the add-ons a node needs to become ready. */
  private readonly nodePrerequisites: ITerraformDependable[];
  /** Add-ons that run as Deployments and so wait for nodes (CoreDNS). */
  private readonly nodeDependents: TerraformResource[];

  constructor(scope: Construct, id: string, props: SecureEksClusterProps) {
    super(scope, id);
    const where = this.node.path;
    checkLowercaseName(where, "name", props.name, 40);
    checkKubernetesVersion(where, "kubernetesVersion", props.kubernetesVersion);
    if (!isToken(props.network.subnetIds) && props.network.subnetIds.length < 2) {
      throw new ValidationError(
        where,
        "network.subnetIds",
        props.network.subnetIds,
        "allowed: private subnets in at least two availability zones (EKS requires two)",
      );
    }
    const publicCidrs = checkPublicEndpoint(where, props.allowPublicEndpoint);
    const access = checkAccess(where, props.access ?? []);
    const webhookPorts = props.webhookPorts ?? [];
    for (const port of webhookPorts) checkIntegerInRange(where, "webhookPorts", port, 1, 65535);
    if (new Set([443, 10250, METRICS_SERVER_PORT, ...webhookPorts]).size !== webhookPorts.length + 3) {
      throw new ValidationError(
        where,
        "webhookPorts",
        webhookPorts,
        `allowed: distinct ports other than 443, 10250 and ${METRICS_SERVER_PORT} (always open)`,
      );
    }
    const supportType = props.supportType ?? "STANDARD";
    if (!["STANDARD", "EXTENDED"].includes(supportType)) {
      throw new ValidationError(where, "supportType", supportType, "allowed: STANDARD or EXTENDED");
    }

    const context = AwsContext.of(this);
    const name = props.name;
    this.name = name;
    this.clusterArn = `arn:${context.partition}:eks:${context.region}:${context.accountId}:cluster/${name}`;
    this.kubernetesVersion = props.kubernetesVersion;
    this.subnetIds = props.network.subnetIds;

    // The control plane's role: AWS takes it only when this account passes it (iam:PassRole), so its trust names the
    // service alone (EKS sets no aws:SourceArn for it).
    this.clusterRole = new IamRole(this, "ClusterRole", {
      name: `${name}-eks-cluster`,
      description: `Control plane of the EKS cluster ${name}`,
      assumeRolePolicy: serviceTrust(`${where} cluster role`, "eks.amazonaws.com", [
        "sts:AssumeRole",
        "sts:TagSession",
      ]),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "ClusterPolicy", {
      role: this.clusterRole.name,
      policyArn: `arn:${context.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });

    this.secretsKey = new KmsKey(this, "SecretsKey", {
      ...props.keys,
      alias: `${name}-eks-secrets`,
      description: `Envelope encryption of the Kubernetes Secrets of the EKS cluster ${name}`,
    });
    this.secretsKey.grantEksSecrets(this.clusterRole.arn);
    this.secretsKey.grantServiceGrants(context.deployerArn, "eks");

    this.nodeVolumeKey = new KmsKey(this, "NodeVolumeKey", {
      ...props.keys,
      alias: `${name}-eks-node-volumes`,
      description: `EBS volumes of the nodes of the EKS cluster ${name}`,
    });
    // Managed node groups launch instances through Auto Scaling, whose service-linked role encrypts their volumes.
    this.nodeVolumeKey.grantEbsVolumes(
      context.iamArn("role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
    );

    this.logGroup = new EncryptedLogGroup(this, "ControlPlaneLogs", {
      name: `/aws/eks/${name}/cluster`,
      encryptionKey: props.logsKey,
      retentionInDays: props.logRetentionInDays ?? 365,
    });

    const groups = this.securityGroups(name, props.network, webhookPorts);
    this.controlPlaneSecurityGroup = groups.controlPlane;
    this.nodeSecurityGroup = groups.nodes;

    this.cluster = new EksCluster(this, "Cluster", {
      name,
      version: props.kubernetesVersion,
      roleArn: this.clusterRole.arn,
      vpcConfig: {
        subnetIds: [...props.network.subnetIds],
        securityGroupIds: [this.controlPlaneSecurityGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        ...(publicCidrs.length > 0 ? { publicAccessCidrs: [...publicCidrs] } : {}),
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.secretsKey.arn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      // No self-managed CNI, CoreDNS or kube-proxy: the managed add-ons below are the only ones, configured here.
      bootstrapSelfManagedAddons: false,
      deletionProtection: props.deletionProtection ?? true,
      upgradePolicy: { supportType },
      tags: { Name: name },
      dependsOn: [this.logGroup.resource, clusterPolicy, this.secretsKey.resource],
    });

    if (publicCidrs.length > 0) {
      Guardrails.suppress(
        this.cluster,
        "SMD-EKS-1",
        `allowPublicEndpoint was given: the API server also answers from ${publicCidrs.join(", ")} (SMD-EKS-2 still refuses the whole internet)`,
      );
    }

    access.forEach((entry, i) => {
      const accessEntry = new EksAccessEntry(this, `Access${i}`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        type: "STANDARD",
        kubernetesGroups: entry.kubernetesGroups ? [...entry.kubernetesGroups] : undefined,
      });
      if (entry.policy === undefined) return;
      new EksAccessPolicyAssociation(this, `Access${i}Policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${context.partition}:eks::aws:cluster-access-policy/${CLUSTER_ACCESS_POLICIES[entry.policy]}`,
        accessScope: entry.namespaces ? { type: "namespace", namespaces: [...entry.namespaces] } : { type: "cluster" },
        dependsOn: [accessEntry],
      });
    });

    const node = this.makeNodeRole(name, props.registry);
    this.nodeRole = node.role;

    // The add-ons. The Pod Identity agent first: the VPC CNI gets its credentials through it.
    const addon = (addonName: string, extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {}) =>
      new EksAddon(this, `Addon-${addonName}`, {
        clusterName: this.cluster.name,
        addonName,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        ...extra,
      });
    const podIdentityAgent = addon("eks-pod-identity-agent");
    this.cniRole = new WorkloadRole(this, "VpcCniRole", {
      roleName: `${name}-vpc-cni`,
      description: `The VPC CNI of the EKS cluster ${name}: node network interfaces and pod addresses`,
      cluster: this,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      // AWS keeps this policy in step with the CNI's versions; the CNI's rights are the node's no longer.
      managedPolicyArns: [`arn:${context.partition}:iam::aws:policy/AmazonEKS_CNI_Policy`],
    });
    const vpcCni = addon("vpc-cni", {
      configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
      dependsOn: [podIdentityAgent, this.cniRole.association, ...this.cniRole.managedPolicies],
    });
    const kubeProxy = addon("kube-proxy");
    const coreDns = addon("coredns");
    // The resource metrics API, which HorizontalPodAutoscalers scale by (EKS's community add-on, on port 10251).
    const metricsServer = addon("metrics-server");
    this.addons = {
      "eks-pod-identity-agent": podIdentityAgent,
      "vpc-cni": vpcCni,
      "kube-proxy": kubeProxy,
      coredns: coreDns,
      "metrics-server": metricsServer,
    };
    this.nodePrerequisites = [...node.prerequisites, podIdentityAgent, vpcCni, kubeProxy];
    this.nodeDependents = [coreDns, metricsServer];
  }

  /** The cluster's name, as a reference: what names it waits for the cluster to exist. */
  public get clusterName(): string {
    return this.cluster.name;
  }

  /**
   * Called by a node group: returns what it must wait for (node role rights, the add-ons a node needs to become
   * ready) and makes the add-ons that need nodes (CoreDNS) wait for it.
   */
  public registerNodeGroup(nodeGroup: TerraformResource): ITerraformDependable[] {
    for (const dependent of this.nodeDependents) {
      dependent.dependsOn = [...(dependent.dependsOn ?? []), dependable(nodeGroup)];
    }
    return [...this.nodePrerequisites];
  }

  /** The control plane's and the nodes' security groups, each rule described. */
  private securityGroups(name: string, network: ClusterNetwork, webhookPorts: readonly number[]) {
    const controlPlane = new SecurityGroup(this, "ControlPlaneSecurityGroup", {
      name: `${name}-eks-control-plane`,
      description:
        "EKS control plane network interfaces: the API server for the nodes; kubelets and webhooks on the nodes",
      vpcId: network.vpcId,
      tags: { Name: `${name}-eks-control-plane` },
    });
    const nodes = new SecurityGroup(this, "NodeSecurityGroup", {
      name: `${name}-eks-nodes`,
      description: "EKS nodes: each other, the control plane, the VPC endpoints and S3; nothing else",
      vpcId: network.vpcId,
      tags: { Name: `${name}-eks-nodes` },
    });
    const tcp = (from: number, to = from) => ({ ipProtocol: "tcp", fromPort: from, toPort: to });
    type Rule = Omit<VpcSecurityGroupIngressRuleConfig, "securityGroupId" | "description">;
    const ingress = (id: string, group: SecurityGroup, description: string, rule: Rule) =>
      new VpcSecurityGroupIngressRule(this, id, { securityGroupId: group.id, description, ...rule });
    const egress = (id: string, group: SecurityGroup, description: string, rule: Rule) =>
      new VpcSecurityGroupEgressRule(this, id, { securityGroupId: group.id, description, ...rule });

    ingress("ApiFromNodes", controlPlane, "Nodes and pods to the Kubernetes API server", {
      ...tcp(443),
      referencedSecurityGroupId: nodes.id,
    });
    // The API server reaches the nodes on the kubelet's port, on 443 and on the webhook ports named, nothing more.
    const toNodes: [string, number][] = [
      ["Kubelet", 10250],
      ["Https", 443],
      ["MetricsServer", METRICS_SERVER_PORT],
      ...webhookPorts.map((port): [string, number] => [`Webhook${port}`, port]),
    ];
    for (const [label, port] of toNodes) {
      const what =
        label === "Kubelet"
          ? "the kubelet API"
          : label === "MetricsServer"
            ? "the metrics server"
            : `webhooks and API services on ${port}`;
      egress(`ControlPlaneTo${label}`, controlPlane, `API server to ${what} on the nodes`, {
        ...tcp(port),
        referencedSecurityGroupId: nodes.id,
      });
      ingress(`NodesFrom${label}`, nodes, `${what[0].toUpperCase()}${what.slice(1)}, from the API server`, {
        ...tcp(port),
        referencedSecurityGroupId: controlPlane.id,
      });
    }
    ingress("NodesFromNodes", nodes, "Node to node and pod to pod (DNS, services); NetworkPolicies narrow it", {
      ipProtocol: "-1",
      referencedSecurityGroupId: nodes.id,
    });
    egress("NodesToNodes", nodes, "Node to node and pod to pod (DNS, services); NetworkPolicies narrow it", {
      ipProtocol: "-1",
      referencedSecurityGroupId: nodes.id,
    });
    egress("NodesToApi", nodes, "Nodes and pods to the Kubernetes API server", {
      ...tcp(443),
      referencedSecurityGroupId: controlPlane.id,
    });
    egress("NodesToVpcEndpoints", nodes, "HTTPS to the interface endpoints inside the VPC (ECR, STS, KMS, logs, ...)", {
      ...tcp(443),
      cidrIpv4: network.vpcCidr,
    });
    egress("NodesToS3", nodes, "HTTPS to S3 through the gateway endpoint (image layers, models)", {
      ...tcp(443),
      prefixListId: network.s3PrefixListId,
    });
    return { controlPlane, nodes };
  }

  /** The node role: worker-node minimal policy, pulls from the blueprint's registry and the add-ons' AWS registries. */
  private makeNodeRole(name: string, registry: ContainerRegistry) {
    const context = AwsContext.of(this);
    const role = new IamRole(this, "NodeRole", {
      name: `${name}-eks-node`,
      description: `Nodes of the EKS cluster ${name}: join the cluster, pull images; pods get no rights from it`,
      // EC2 takes the role only through an instance profile this account passes it (iam:PassRole).
      assumeRolePolicy: serviceTrust(`${this.node.path} node role`, "ec2.amazonaws.com", ["sts:AssumeRole"]),
    });
    const minimal = new IamRolePolicyAttachment(this, "NodeMinimalPolicy", {
      role: role.name,
      policyArn: `arn:${context.partition}:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy`,
    });
    const pull = new PolicyDocument(`${this.node.path} node pull policy`, [
      {
        sid: "EcrAuthorization",
        actions: ["ecr:GetAuthorizationToken"],
        resources: ["*"],
        wildcardResourceReason: "ecr:GetAuthorizationToken has no resource-level permissions",
      },
      { sid: "PullFromBlueprintRegistry", actions: ECR_PULL_ACTIONS, resources: [registry.repositoryArnPattern] },
      {
        sid: "PullAddonImages",
        actions: ECR_PULL_ACTIONS,
        resources: addonRegistryRepositoryArns(this.node.path, context.partition, context.region),
      },
    ]);
    // A first pull through the cache creates the cached repository: only under the cache's own prefixes.
    const cached = Object.values(registry.cachePrefixes).map(
      (prefix) => `arn:${context.partition}:ecr:${context.region}:${context.accountId}:repository/${prefix}/*`,
    );
    if (cached.length > 0) {
      pull.addStatement({ sid: "PullThroughCache", actions: ECR_PULL_THROUGH_ACTIONS, resources: cached });
    }
    const pullPolicy = new IamRolePolicy(this, "NodePullPolicy", {
      name: "pull-images",
      role: role.id,
      policy: pull.toJson(),
    });
    registry.grantPull(role.arn);
    return { role, prerequisites: [minimal, pullPolicy] };
  }
}

/** A trust policy for a role AWS takes only when this account passes it (EC2 instance profiles, EKS clusters). */
function serviceTrust(at: string, service: string, actions: string[]): string {
  return new PolicyDocument(at, [{ sid: "PassedRole", principals: { service: [service] }, actions, resources: [] }], {
    trustPolicy: true,
  }).toJson();
}

/** The public endpoint's CIDRs, checked: none by default; never empty when opted in, never the whole internet. */
function checkPublicEndpoint(where: string, opt: SecureEksClusterProps["allowPublicEndpoint"]): readonly string[] {
  if (opt === undefined) return [];
  checkPublicEndpointCidrs(where, "allowPublicEndpoint.cidrs", opt.cidrs);
  return opt.cidrs;
}

/** Checks the allowlist of a public API endpoint: a non-empty list of IPv4 CIDRs of /8 or narrower. */
export function checkPublicEndpointCidrs(where: string, property: string, cidrs: readonly string[]): void {
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    throw new ValidationError(
      where,
      property,
      cidrs,
      "allowed: a non-empty list of IPv4 CIDRs (leave allowPublicEndpoint out for a private-only endpoint)",
    );
  }
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (!parsed) {
      throw new ValidationError(where, property, cidr, "allowed: IPv4 CIDRs such as 203.0.113.0/24");
    }
    if (parsed.prefix < 8) {
      throw new ValidationError(
        where,
        property,
        cidr,
        "allowed: CIDRs of /8 or narrower, never 0.0.0.0/0: the API server must not face the whole internet",
      );
    }
  }
}

/** The access entries, checked: role ARNs, once each; namespaces as Kubernetes names; cluster-admin cluster-wide. */
function checkAccess(where: string, access: readonly ClusterAccess[]): readonly ClusterAccess[] {
  const seen = new Set<string>();
  access.forEach((entry, i) => {
    const at = `access[${i}]`;
    checkRoleArn(where, `${at}.principalArn`, entry.principalArn);
    if (seen.has(entry.principalArn)) {
      throw new ValidationError(where, `${at}.principalArn`, entry.principalArn, "allowed: each role once");
    }
    seen.add(entry.principalArn);
    for (const group of entry.kubernetesGroups ?? []) checkKubernetesGroup(where, `${at}.kubernetesGroups`, group);
    if (entry.policy === undefined) {
      if ((entry.kubernetesGroups ?? []).length === 0) {
        throw new ValidationError(
          where,
          `${at}.policy`,
          entry.policy,
          `allowed: one of ${Object.keys(CLUSTER_ACCESS_POLICIES).join(", ")}, or kubernetesGroups that RBAC binds (an entry with neither grants nothing)`,
        );
      }
      if (entry.namespaces !== undefined) {
        throw new ValidationError(where, `${at}.namespaces`, entry.namespaces, "allowed: none without a policy");
      }
      return;
    }
    if (!(entry.policy in CLUSTER_ACCESS_POLICIES)) {
      throw new ValidationError(
        where,
        `${at}.policy`,
        entry.policy,
        `allowed: one of ${Object.keys(CLUSTER_ACCESS_POLICIES).join(", ")}`,
      );
    }
    if (entry.namespaces !== undefined) {
      if (entry.policy === "cluster-admin") {
        throw new ValidationError(
          where,
          `${at}.namespaces`,
          entry.namespaces,
          "allowed: none with cluster-admin (use admin for a namespace's administrator)",
        );
      }
      if (entry.namespaces.length === 0) {
        throw new ValidationError(
          where,
          `${at}.namespaces`,
          entry.namespaces,
          "allowed: at least one namespace, or leave it out for the whole cluster",
        );
      }
      for (const namespace of entry.namespaces) checkKubernetesName(where, `${at}.namespaces`, namespace);
    }
  });
  return access;
}
