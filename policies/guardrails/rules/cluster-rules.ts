import { readPolicy } from "../policy-documents";
import { problems, type Rule, requireLiteral, unverified } from "../rule";
import { isReference, type StackElement, type StackIndex, valueAt, valuesAt } from "../stack-index";

const CLUSTER = [{ kind: "resource" as const, types: ["aws_eks_cluster"] }];
const NODE_GROUP = [{ kind: "resource" as const, types: ["aws_eks_node_group"] }];
const LAUNCH_TEMPLATE = [{ kind: "resource" as const, types: ["aws_launch_template"] }];

/** The control-plane log types EKS offers: CKV_AWS_37 asks for all of them. */
const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const ANYWHERE = ["0.0.0.0/0", "::/0"];
/** The session tags of EKS Pod Identity a workload role's trust must pin, each to one value. */
const POD_IDENTITY_TAGS = [
  ["aws:requesttag/eks-cluster-arn", "aws:requesttag/eks-cluster-name"],
  ["aws:requesttag/kubernetes-namespace"],
  ["aws:requesttag/kubernetes-service-account"],
];
/** The AWS managed policies a node role may hold: what a node needs to join and to hand out pod identities. */
const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodeMinimalPolicy"];
/** ECR actions that read an image. */
const PULL_ACTIONS = ["ecr:batchgetimage", "ecr:getdownloadurlforlayer"];

/** The cluster's name as it appears in its node groups and add-ons: a literal or a reference to the cluster. */
function belongsTo(element: StackElement, cluster: StackElement, index: StackIndex): boolean {
  const name = element.config.cluster_name;
  return name === cluster.config.name || index.target(name)?.element === cluster;
}

/** The role an attribute refers to, as a stack element. */
function roleOf(value: unknown, index: StackIndex): StackElement | undefined {
  const target = index.target(value)?.element;
  return target?.type === "aws_iam_role" ? target : undefined;
}

/** True when a role's trust admits EKS Pod Identity. */
function trustsPodIdentity(role: StackElement, index: StackIndex): boolean {
  const trust = readPolicy(role.config.assume_role_policy, index);
  if (trust.kind !== "document") return false;
  return trust.statements.some(
    (s) =>
      s.principal !== undefined &&
      s.principal !== "*" &&
      (s.principal.Service ?? []).includes("pods.eks.amazonaws.com"),
  );
}

/** Rules for EKS clusters, their node groups and launch templates, and the roles of nodes and pods. */
export const CLUSTER_RULES: readonly Rule[] = [
  {
    id: "SMD-EKS-1",
    title: "EKS API servers are reachable from inside the VPC only",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    checkov: ["CKV_AWS_39"],
    fix: "set vpc_config.endpoint_private_access = true and endpoint_public_access = false (SecureEksCluster does unless allowPublicEndpoint is given, which records this rule's suppression with the CIDRs)",
    targets: CLUSTER,
    check: (cluster) =>
      problems(
        requireLiteral(
          valueAt(cluster.config, "vpc_config") as Record<string, unknown>,
          "endpoint_private_access",
          true,
        ),
        requireLiteral(
          valueAt(cluster.config, "vpc_config") as Record<string, unknown>,
          "endpoint_public_access",
          false,
        ),
      ),
  },
  {
    id: "SMD-EKS-2",
    title: "A public EKS endpoint admits only an allowlist, never the whole internet",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    checkov: ["CKV_AWS_38"],
    suppressible: false,
    fix: "with endpoint_public_access, set public_access_cidrs to the networks that need the API (never 0.0.0.0/0, and never left out: EKS then opens it to 0.0.0.0/0)",
    targets: CLUSTER,
    check: (cluster) => {
      const vpc = (valueAt(cluster.config, "vpc_config") ?? {}) as Record<string, unknown>;
      if (vpc.endpoint_public_access === false) return [];
      const cidrs = vpc.public_access_cidrs;
      if (isReference(cidrs)) return [unverified("vpc_config.public_access_cidrs", cidrs)];
      if (!Array.isArray(cidrs) || cidrs.length === 0) {
        return ["the public endpoint has no public_access_cidrs, so EKS opens it to 0.0.0.0/0"];
      }
      return cidrs.flatMap((cidr) =>
        isReference(cidr)
          ? [unverified("a public_access_cidrs entry", cidr)]
          : ANYWHERE.includes(String(cidr)) || String(cidr).endsWith("/0")
            ? [`public_access_cidrs admits ${String(cidr)}`]
            : [],
      );
    },
  },
  {
    id: "SMD-EKS-3",
    title: "EKS clusters envelope-encrypt Secrets with a customer-managed KMS key",
    level: "error",
    controls: ["C-ENCRYPT-REST", "C-SECRETS"],
    checkov: ["CKV_AWS_58"],
    fix: 'set encryption_config { resources = ["secrets"], provider { key_arn = <a KmsKey ARN> } } (SecureEksCluster does, with a key of its own)',
    targets: CLUSTER,
    check: (cluster, index) => {
      const resources = valuesAt(cluster.config, "encryption_config.resources").flat();
      const key = valueAt(cluster.config, "encryption_config.provider.key_arn");
      return problems(
        resources.includes("secrets") ? undefined : 'encryption_config.resources does not include "secrets"',
        key === undefined
          ? "encryption_config.provider.key_arn is not set"
          : isReference(key) && index.target(key)?.element.type !== "aws_kms_key"
            ? `${unverified("encryption_config.provider.key_arn", key)} (must be a KMS key of this stack or a key ARN)`
            : undefined,
      );
    },
  },
  {
    id: "SMD-EKS-4",
    title: "EKS clusters log every control-plane log type into an encrypted log group created before them",
    level: "error",
    controls: ["C-AUDIT-TRAIL", "C-THREAT-DETECTION"],
    checkov: ["CKV_AWS_37"],
    fix: "set enabled_cluster_log_types to all of api, audit, authenticator, controllerManager, scheduler, and create the group /aws/eks/<name>/cluster with a kms_key_id and a retention before the cluster (depends_on); SecureEksCluster does",
    targets: CLUSTER,
    check: (cluster, index) => {
      const types = (cluster.config.enabled_cluster_log_types ?? []) as unknown[];
      const missing = LOG_TYPES.filter((t) => !types.includes(t));
      const found: string[] = [];
      if (missing.length > 0) found.push(`enabled_cluster_log_types leaves out ${missing.join(", ")}`);
      const name = cluster.config.name;
      const group = index
        .all("resource", "aws_cloudwatch_log_group")
        .find((g) => typeof name === "string" && g.config.name === `/aws/eks/${name}/cluster`);
      if (!group) {
        found.push(
          `no log group /aws/eks/${String(name)}/cluster in the stack: EKS would create one, unencrypted and kept forever`,
        );
      } else {
        if (!group.config.kms_key_id) found.push(`the log group ${group.address} has no kms_key_id`);
        if (!group.config.retention_in_days) found.push(`the log group ${group.address} has no retention_in_days`);
        const dependsOn = (cluster.config.depends_on ?? []) as unknown[];
        if (!dependsOn.includes(group.address)) {
          found.push(`the cluster does not depend on ${group.address}, so EKS may create the group first`);
        }
      }
      return found;
    },
  },
  {
    id: "SMD-EKS-5",
    title: "EKS clusters admit API users through access entries only, and give their creator nothing",
    level: "error",
    controls: ["C-K8S-RBAC", "C-LEAST-PRIVILEGE"],
    fix: 'set access_config { authentication_mode = "API", bootstrap_cluster_creator_admin_permissions = false } and grant access with aws_eks_access_entry and aws_eks_access_policy_association (SecureEksCluster does, from its access prop)',
    targets: CLUSTER,
    check: (cluster) => {
      const access = valueAt(cluster.config, "access_config") as Record<string, unknown> | undefined;
      if (!access)
        return [
          "access_config is not set, so the aws-auth ConfigMap decides and the creator is a hidden administrator",
        ];
      return problems(
        requireLiteral(access, "authentication_mode", "API"),
        requireLiteral(access, "bootstrap_cluster_creator_admin_permissions", false),
      );
    },
  },
  {
    id: "SMD-EKS-6",
    title: "EKS clusters are protected from deletion and follow an explicit support policy",
    level: "error",
    controls: ["C-DATA-DURABILITY"],
    fix: 'set deletion_protection = true and upgrade_policy { support_type = "STANDARD" } (or "EXTENDED", chosen on purpose); SecureEksCluster does',
    targets: CLUSTER,
    check: (cluster) =>
      problems(
        requireLiteral(cluster.config, "deletion_protection", true),
        valueAt(cluster.config, "upgrade_policy.support_type") === undefined
          ? "upgrade_policy.support_type is not set, so EKS moves the cluster into paid extended support silently"
          : undefined,
      ),
  },
  {
    id: "SMD-EKS-7",
    title: "Launch templates require IMDSv2 with a hop limit of 1",
    level: "error",
    controls: ["C-SHORT-LIVED-CREDENTIALS", "C-K8S-POD-SECURITY"],
    checkov: ["CKV_AWS_79", "CKV_AWS_341"],
    fix: 'set metadata_options { http_endpoint = "enabled", http_tokens = "required", http_put_response_hop_limit = 1 } (the node groups\' launch template does): a pod then cannot reach the node role\'s credentials',
    targets: LAUNCH_TEMPLATE,
    check: (template) => {
      const options = valueAt(template.config, "metadata_options") as Record<string, unknown> | undefined;
      if (!options) return ["metadata_options is not set, so IMDSv1 is on and pods reach the node's credentials"];
      if (options.http_endpoint === "disabled") return [];
      return problems(
        requireLiteral(options, "http_tokens", "required"),
        requireLiteral(options, "http_put_response_hop_limit", 1),
      );
    },
  },
  {
    id: "SMD-EKS-8",
    title: "Launch templates encrypt every volume with a customer-managed key and give no SSH key or public address",
    level: "error",
    controls: ["C-ENCRYPT-REST", "C-NETWORK-ISOLATION"],
    checkov: ["CKV_AWS_88"],
    fix: 'give every block_device_mappings.ebs encrypted = "true" and a kms_key_id, and set neither key_name nor network_interfaces.associate_public_ip_address = true (the node groups\' launch template does)',
    targets: LAUNCH_TEMPLATE,
    check: (template) => {
      const found: string[] = [];
      const volumes = valuesAt(template.config, "block_device_mappings.ebs") as Record<string, unknown>[];
      if (volumes.length === 0) found.push("block_device_mappings sets no root volume, so its encryption is the AMI's");
      for (const volume of volumes) {
        if (String(volume.encrypted) !== "true")
          found.push(`a volume has encrypted = ${JSON.stringify(volume.encrypted ?? null)}`);
        if (!volume.kms_key_id) found.push("a volume has no kms_key_id, so it uses the AWS-managed key");
      }
      if (template.config.key_name)
        found.push(`key_name ${JSON.stringify(template.config.key_name)} opens SSH with a long-lived key`);
      for (const value of valuesAt(template.config, "network_interfaces.associate_public_ip_address")) {
        if (String(value) === "true") found.push("network_interfaces.associate_public_ip_address is true");
      }
      return found;
    },
  },
  {
    id: "SMD-EKS-9",
    title: "Managed node groups run on a launch template of the stack, with no remote access",
    level: "error",
    controls: ["C-NETWORK-ISOLATION", "C-SHORT-LIVED-CREDENTIALS"],
    checkov: ["CKV_AWS_100"],
    fix: "set launch_template to an aws_launch_template of the stack (SMD-EKS-7 and SMD-EKS-8 then hold for the nodes) and no remote_access block; SystemNodeGroup and GpuNodeGroup do",
    targets: NODE_GROUP,
    check: (group, index) => {
      const found: string[] = [];
      if (valuesAt(group.config, "remote_access").length > 0) found.push("remote_access opens SSH to the nodes");
      const template = valueAt(group.config, "launch_template.id") ?? valueAt(group.config, "launch_template.name");
      if (template === undefined) found.push("no launch_template, so EKS's default one allows IMDSv1 from pods");
      else if (index.target(template)?.element.type !== "aws_launch_template") {
        found.push(`${unverified("launch_template", template)} (must be a launch template of this stack)`);
      }
      if (group.config.disk_size !== undefined) found.push("disk_size makes a volume outside the launch template");
      return found;
    },
  },
  {
    id: "SMD-EKS-10",
    title: "GPU node groups are tainted so that only GPU workloads land on them",
    level: "error",
    controls: ["C-K8S-POD-SECURITY"],
    fix: 'add taint { key = "nvidia.com/gpu", value = "true", effect = "NO_SCHEDULE" } to every node group of an NVIDIA AMI type (GpuNodeGroup does)',
    targets: NODE_GROUP,
    applies: (group) => String(group.config.ami_type ?? "").includes("NVIDIA"),
    check: (group) => {
      const taints = valuesAt(group.config, "taint") as Record<string, unknown>[];
      return taints.some((t) => t.key === "nvidia.com/gpu" && t.effect === "NO_SCHEDULE")
        ? []
        : ["no nvidia.com/gpu NO_SCHEDULE taint, so any pod may take a GPU node"];
    },
  },
  {
    id: "SMD-EKS-11",
    title: "EKS clusters run the VPC CNI with NetworkPolicy enforcement and a pod identity of its own",
    level: "error",
    controls: ["C-K8S-NETWORK-POLICY", "C-LEAST-PRIVILEGE"],
    fix: 'add the vpc-cni add-on with configuration_values {"enableNetworkPolicy": "true"} and a pod identity for kube-system/aws-node (an aws_eks_pod_identity_association or the add-on\'s pod_identity_association); SecureEksCluster does',
    targets: CLUSTER,
    check: (cluster, index) => {
      const cni = index
        .all("resource", "aws_eks_addon")
        .find((a) => a.config.addon_name === "vpc-cni" && belongsTo(a, cluster, index));
      if (!cni) return ["no vpc-cni add-on: NetworkPolicies would be stored and never enforced"];
      const found: string[] = [];
      let values: Record<string, unknown> = {};
      try {
        values = JSON.parse(String(cni.config.configuration_values ?? "{}")) as Record<string, unknown>;
      } catch {
        found.push("the vpc-cni configuration_values are not readable JSON");
      }
      if (String(values.enableNetworkPolicy) !== "true") {
        found.push(`${cni.address} does not set enableNetworkPolicy to "true"`);
      }
      const own = valuesAt(cni.config, "pod_identity_association").some(
        (a) => (a as Record<string, unknown>).service_account === "aws-node",
      );
      const associated = index
        .all("resource", "aws_eks_pod_identity_association")
        .some(
          (a) =>
            belongsTo(a, cluster, index) &&
            a.config.namespace === "kube-system" &&
            a.config.service_account === "aws-node",
        );
      if (!own && !associated)
        found.push("the CNI has no pod identity of its own, so it runs on the node role's rights");
      return found;
    },
  },
  {
    id: "SMD-EKS-12",
    title: "Node roles hold only what a node needs and pull only from named repositories",
    level: "error",
    controls: ["C-LEAST-PRIVILEGE", "C-RESTRICTED-MODEL-ACCESS"],
    fix: "give the node role AmazonEKSWorkerNodeMinimalPolicy and an inline policy that pulls from named repositories (no ecr pull on *, no s3:*, no other managed policy: the CNI's rights belong to its pod identity, a model's to its workload role); SecureEksCluster does",
    targets: NODE_GROUP,
    check: (group, index) => {
      const role = roleOf(group.config.node_role_arn, index);
      if (!role) return [unverified("node_role_arn", group.config.node_role_arn)];
      const found: string[] = [];
      for (const attachment of index.referrers(role, "aws_iam_role_policy_attachment", "role")) {
        const arn = String(attachment.config.policy_arn);
        const name = arn.split("/").pop() ?? arn;
        if (!/^arn:aws[a-z-]*:iam::aws:policy\//.test(arn) || !NODE_MANAGED_POLICIES.includes(name)) {
          found.push(`${role.address} holds ${arn}, beyond ${NODE_MANAGED_POLICIES.join(", ")}`);
        }
      }
      for (const holder of index.referrers(role, "aws_iam_role_policy", "role")) {
        const policy = readPolicy(holder.config.policy, index);
        if (policy.kind !== "document") {
          found.push(`${holder.address} cannot be read at synth time`);
          continue;
        }
        for (const s of policy.statements.filter((st) => st.effect === "Allow")) {
          const actions = s.actions.map((a) => a.toLowerCase());
          if (actions.some((a) => a.startsWith("s3:") || a === "*")) {
            found.push(`${holder.address} statement ${s.sid ?? "?"} gives S3 rights to every pod of the node`);
          }
          if (actions.some((a) => PULL_ACTIONS.includes(a) || a === "ecr:*") && s.resources.includes("*")) {
            found.push(`${holder.address} statement ${s.sid ?? "?"} pulls from every repository of every account`);
          }
        }
      }
      return found;
    },
  },
  {
    id: "SMD-EKS-13",
    title: "Pod identity roles are bound to one cluster, namespace and service account",
    level: "error",
    controls: ["C-LEAST-PRIVILEGE", "C-SHORT-LIVED-CREDENTIALS"],
    suppressible: false,
    fix: "pin aws:RequestTag/eks-cluster-arn, aws:RequestTag/kubernetes-namespace and aws:RequestTag/kubernetes-service-account with StringEquals to one value each in the trust of every role pods.eks.amazonaws.com may assume (WorkloadRole does); otherwise any pod identity association of the account gets the role",
    targets: [{ kind: "resource", types: ["aws_iam_role"] }],
    applies: (role, index) => trustsPodIdentity(role, index),
    check: (role, index) => {
      const trust = readPolicy(role.config.assume_role_policy, index);
      if (trust.kind !== "document") return [];
      const found: string[] = [];
      for (const s of trust.statements) {
        if (s.effect !== "Allow" || s.principal === undefined || s.principal === "*") continue;
        if (!(s.principal.Service ?? []).includes("pods.eks.amazonaws.com")) continue;
        const exact = Object.fromEntries(
          Object.entries(s.conditions.StringEquals ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
        );
        for (const keys of POD_IDENTITY_TAGS) {
          const values = keys.map((k) => exact[k]).find((v) => v !== undefined) ?? [];
          if (values.length !== 1 || String(values[0]).includes("*")) {
            found.push(`statement ${s.sid ?? "?"} does not pin ${keys[0].replace("aws:requesttag/", "")} to one value`);
          }
        }
      }
      return found;
    },
  },
];
