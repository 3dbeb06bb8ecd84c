import { DefaultServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/default-service-account-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { Construct } from "constructs";
import { parseCidr } from "../core/cidr";
import { ValidationError } from "../core/validation";
import { checkKubernetesVersion } from "../cluster/kubernetes-versions";
import { checkKubernetesGroup, checkKubernetesName } from "../core/kubernetes-names";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { podSecurityLabels } from "./pod-security";
import {
  checkGpuCount,
  describeAmounts,
  GPU_RESOURCE,
  type ParsedAmounts,
  parseAmounts,
  parseCpu,
  parseMemory,
  type ResourceAmounts,
  resourceList,
} from "./quantity";

/** What all pods of a namespace may request, and be limited to, together. */
export interface NamespaceQuota {
  /** CPU, in all: requests and limits each, e.g. `"16"`. */
  readonly cpu: string;
  /** Memory, in all: requests and limits each, e.g. `"64Gi"`. */
  readonly memory: string;
  /** NVIDIA GPUs (`nvidia.com/gpu`) requested, in all. Default: 0 (no GPU workload). */
  readonly gpu?: number;
  /** Pods, in all: 1 to 1000. */
  readonly pods: number;
}

/** The requests and limits a container gets when it sets none (the namespace's LimitRange). */
export interface ContainerDefaults {
  /** Requests. Default: 100m CPU, 128Mi memory. */
  readonly requests: ResourceAmounts;
  /** Limits. Default: 500m CPU, 512Mi memory. */
  readonly limits: ResourceAmounts;
}

/** The Kubernetes DNS service's pods, which every default-deny namespace may still query. */
export const KUBE_DNS_SELECTOR = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } } as const;

/** The Role every namespace with reader groups gets: the source design's read-only `model-reader` (get, list pods). */
export const MODEL_READER_ROLE = "model-reader";

/** Names of the NetworkPolicies a SecureNamespace creates. */
export const NAMESPACE_NETWORK_POLICIES = {
  defaultDeny: "default-deny-all",
  dns: "allow-dns",
  vpcEndpoints: "allow-vpc-endpoints",
} as const;

/** Opts a namespace out of the restricted Pod Security level, for node agents only. */
export interface PrivilegedPodsOptOut {
  /** Why the namespace's pods need more than restricted allows (host paths, devices). At least 40 characters. */
  readonly reason: string;
}

/** Properties of a {@link SecureNamespace}. */
export interface SecureNamespaceProps {
  /** The namespace's name: a Kubernetes name. */
  readonly name: string;
  /** The cluster's Kubernetes version (`"1.35"`): the Pod Security labels pin its rules (`v1.35`). */
  readonly kubernetesVersion: string;
  /** What the namespace's pods may use in all (ResourceQuota). */
  readonly quota: NamespaceQuota;
  /** Requests and limits of a container that sets none (LimitRange). Default: 100m/128Mi requested, 500m/512Mi limit. */
  readonly containerDefaults?: ContainerDefaults;
  /**
   * Kubernetes groups (from EKS access entries) bound to the read-only `model-reader` Role. Default: none, and then
   * no Role is created.
   */
  readonly readerGroups?: readonly string[];
  /**
   * CIDRs of the VPC's interface endpoints (its isolated subnets): every pod may open HTTPS connections to them.
   * Default: none (no allowance).
   */
  readonly endpointCidrs?: readonly string[];
  /** Whether every pod may query the cluster DNS (kube-dns, UDP and TCP 53). Default: true. */
  readonly allowDns?: boolean;
  /**
   * Enforces the `privileged` Pod Security level instead of `restricted` (audit and warn stay at restricted): for a
   * node agent that needs host paths. The reason is recorded as the suppression of SMD-K8S-1. Default: restricted.
   */
  readonly allowPrivilegedPods?: PrivilegedPodsOptOut;
}

const DEFAULT_CONTAINER: ContainerDefaults = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
};

/**
 * A namespace locked down as the restricted Pod Security Standard asks, and then some:
 * - Pod Security admission labels `enforce`, `audit` and `warn` at `restricted`, pinned to the cluster's version;
 * - a ResourceQuota (CPU, memory, GPUs, pods; no LoadBalancer Services, no PersistentVolumeClaims) and a LimitRange
 *   giving containers that set nothing modest defaults;
 * - a default-deny NetworkPolicy for ingress and egress, plus named allowances: DNS to kube-dns, HTTPS to the VPC's
 *   interface endpoints; workloads add their own (`InferenceService` admits its port from the VPC);
 * - the default service account mounts no token;
 * - the source design's read-only `model-reader` Role, bound to the configured groups.
 *
 * Workloads reserve their share of the quota with {@link SecureNamespace.reserve}: a quota below what they request is
 * a synth-time error, not a Deployment whose pods never start.
 */
export class SecureNamespace extends Construct {
  /** The `kubernetes_namespace_v1`. */
  public readonly namespace: NamespaceV1;
  /** The namespace's name (a reference to the namespace, so that its objects are created after it). */
  public readonly name: string;
  /** The Pod Security level enforced. */
  public readonly podSecurity: "restricted" | "privileged";
  /** The `kubernetes_network_policy_v1` that denies all ingress and egress. */
  public readonly defaultDeny: NetworkPolicyV1;
  /** The `kubernetes_resource_quota_v1`. */
  public readonly quota: ResourceQuotaV1;
  private readonly limits: ParsedAmounts & { readonly pods: number };
  private readonly reservations: { readonly who: string; readonly amounts: ParsedAmounts; readonly pods: number }[] =
    [];

  constructor(scope: Construct, id: string, props: SecureNamespaceProps) {
    super(scope, id);
    const where = this.node.path;
    checkKubernetesName(where, "name", props.name);
    checkKubernetesVersion(where, "kubernetesVersion", props.kubernetesVersion);
    const quota = props.quota;
    if (typeof quota !== "object" || quota === null) {
      throw new ValidationError(
        where,
        "quota",
        quota,
        'allowed: { cpu, memory, gpu?, pods }, such as { cpu: "16", memory: "64Gi", gpu: 2, pods: 20 }',
      );
    }
    checkGpuCount(where, "quota.gpu", quota.gpu ?? 0, 1024);
    const limits = {
      millicores: parseCpu(where, "quota.cpu", quota.cpu),
      bytes: parseMemory(where, "quota.memory", quota.memory),
      gpus: quota.gpu ?? 0,
    };
    if (!Number.isInteger(quota.pods) || quota.pods < 1 || quota.pods > 1000) {
      throw new ValidationError(where, "quota.pods", quota.pods, "allowed: a whole number from 1 to 1000");
    }
    this.limits = { ...limits, pods: quota.pods };
    const defaults = props.containerDefaults ?? DEFAULT_CONTAINER;
    const defaultRequests = parseAmounts(where, "containerDefaults.requests", defaults.requests);
    const defaultLimits = parseAmounts(where, "containerDefaults.limits", defaults.limits);
    if (defaultRequests.millicores > defaultLimits.millicores || defaultRequests.bytes > defaultLimits.bytes) {
      throw new ValidationError(where, "containerDefaults", defaults, "allowed: requests no greater than limits");
    }
    if (defaultRequests.gpus > 0 || defaultLimits.gpus > 0) {
      throw new ValidationError(
        where,
        "containerDefaults",
        defaults,
        "allowed: no GPUs (a GPU must be asked for explicitly)",
      );
    }
    const readerGroups = props.readerGroups ?? [];
    for (const group of readerGroups) checkKubernetesGroup(where, "readerGroups", group);
    const endpointCidrs = props.endpointCidrs ?? [];
    for (const cidr of endpointCidrs) {
      if (!parseCidr(cidr))
        throw new ValidationError(where, "endpointCidrs", cidr, "allowed: IPv4 CIDRs such as 10.20.128.0/22");
    }
    const optOut = props.allowPrivilegedPods;
    if (optOut !== undefined && (typeof optOut.reason !== "string" || optOut.reason.trim().length < 40)) {
      throw new ValidationError(
        where,
        "allowPrivilegedPods.reason",
        optOut.reason,
        "allowed: a reason of at least 40 characters saying what the pods need from the host",
      );
    }
    this.podSecurity = optOut ? "privileged" : "restricted";

    this.namespace = new NamespaceV1(this, "Namespace", {
      metadata: {
        name: props.name,
        labels: {
          ...podSecurityLabels(this.podSecurity, props.kubernetesVersion),
          "app.kubernetes.io/managed-by": "terraform",
        },
      },
    });
    if (optOut) Guardrails.suppress(this.namespace, "SMD-K8S-1", optOut.reason);
    this.name = this.namespace.metadata.name;
    const metadata = (name: string) => ({ name, namespace: this.name });

    new DefaultServiceAccountV1(this, "DefaultServiceAccount", {
      metadata: { namespace: this.name },
      automountServiceAccountToken: false,
    });
    const hard: Record<string, string> = {
      "requests.cpu": quota.cpu,
      "limits.cpu": quota.cpu,
      "requests.memory": quota.memory,
      "limits.memory": quota.memory,
      [`requests.${GPU_RESOURCE}`]: String(quota.gpu ?? 0),
      pods: String(quota.pods),
      "services.loadbalancers": "0",
      persistentvolumeclaims: "0",
    };
    this.quota = new ResourceQuotaV1(this, "Quota", { metadata: metadata("quota"), spec: { hard } });
    new LimitRangeV1(this, "LimitRange", {
      metadata: metadata("container-defaults"),
      spec: {
        limit: [
          {
            type: "Container",
            defaultRequest: resourceList(defaults.requests),
            default: resourceList(defaults.limits),
          },
        ],
      },
    });

    this.defaultDeny = new NetworkPolicyV1(this, "DefaultDeny", {
      metadata: metadata(NAMESPACE_NETWORK_POLICIES.defaultDeny),
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
    if (props.allowDns ?? true) {
      new NetworkPolicyV1(this, "AllowDns", {
        metadata: metadata(NAMESPACE_NETWORK_POLICIES.dns),
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": KUBE_DNS_SELECTOR.namespace } },
                  podSelector: { matchLabels: { ...KUBE_DNS_SELECTOR.labels } },
                },
              ],
              ports: [
                { port: "53", protocol: "UDP" },
                { port: "53", protocol: "TCP" },
              ],
            },
          ],
        },
      });
    }
    if (endpointCidrs.length > 0) {
      new NetworkPolicyV1(this, "AllowVpcEndpoints", {
        metadata: metadata(NAMESPACE_NETWORK_POLICIES.vpcEndpoints),
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            { to: endpointCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: "443", protocol: "TCP" }] },
          ],
        },
      });
    }
    if (readerGroups.length > 0) {
      const role = new RoleV1(this, "ModelReader", {
        metadata: metadata(MODEL_READER_ROLE),
        rule: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }],
      });
      new RoleBindingV1(this, "ModelReaderBinding", {
        metadata: metadata(MODEL_READER_ROLE),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subject: readerGroups.map((name) => ({ kind: "Group", name, apiGroup: "rbac.authorization.k8s.io" })),
      });
    }
  }

  /**
   * Reserves part of the quota for a workload: `pods` pods with these requests and limits. The quota's CPU and memory
   * bound requests and limits alike, so the limits are what must fit; GPUs by their requests. Throws a
   * {@link ValidationError} naming the workload when the quota cannot hold it beside what is already reserved: pods
   * that would never be admitted are a configuration error, found at synth.
   */
  public reserve(
    who: string,
    property: string,
    resources: { readonly requests: ResourceAmounts; readonly limits: ResourceAmounts },
    pods: number,
  ): void {
    const requests = parseAmounts(who, `${property}.requests`, resources.requests);
    const limits = parseAmounts(who, `${property}.limits`, resources.limits);
    const amounts = { millicores: limits.millicores * pods, bytes: limits.bytes * pods, gpus: requests.gpus * pods };
    const used = this.reservations.reduce(
      (sum, r) => ({
        millicores: sum.millicores + r.amounts.millicores,
        bytes: sum.bytes + r.amounts.bytes,
        gpus: sum.gpus + r.amounts.gpus,
        pods: sum.pods + r.pods,
      }),
      { millicores: 0, bytes: 0, gpus: 0, pods: 0 },
    );
    const over =
      used.millicores + amounts.millicores > this.limits.millicores ||
      used.bytes + amounts.bytes > this.limits.bytes ||
      used.gpus + amounts.gpus > this.limits.gpus ||
      used.pods + pods > this.limits.pods;
    if (over) {
      const others = this.reservations.map((r) => r.who).join(", ");
      throw new ValidationError(
        who,
        property,
        resources,
        `allowed: requests and limits that fit the quota of the namespace ${this.node.path} (${describeAmounts(this.limits)}, ${this.limits.pods} pods)` +
          `: ${pods} pods need ${describeAmounts(amounts)}${others ? ` beside ${others}'s ${describeAmounts(used)}, ${used.pods} pods` : ""}` +
          "; raise the namespace's quota or lower the resources or replicas",
      );
    }
    this.reservations.push({ who, amounts, pods });
  }
}
