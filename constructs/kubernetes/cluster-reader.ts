import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { Construct } from "constructs";
import { checkKubernetesGroup, checkKubernetesName } from "../core/kubernetes-names";
import { ValidationError } from "../core/validation";

/** The Kubernetes group the pipeline's plan role is mapped to (its EKS access entry), bound to the plan reader. */
export const TERRAFORM_PLAN_GROUP = "blueprint:terraform-plan";

/** One API group's resources a reader may get. */
export interface ReadableResources {
  /** The API group: `""` for the core group, `apps`, `rbac.authorization.k8s.io`, ... */
  readonly apiGroup: string;
  /** Resource names (plural, lowercase): never `*`, never `secrets`. */
  readonly resources: readonly string[];
}

/**
 * The kinds the workloads stack manages, which `terraform plan` must read back to compare with the code: everything
 * but Secrets and ConfigMaps (the blueprint creates none) and Pods (Terraform manages their controllers).
 */
export const TERRAFORM_MANAGED_KINDS: readonly ReadableResources[] = [
  {
    apiGroup: "",
    resources: ["namespaces", "resourcequotas", "limitranges", "serviceaccounts", "services"],
  },
  { apiGroup: "apps", resources: ["deployments", "daemonsets"] },
  { apiGroup: "autoscaling", resources: ["horizontalpodautoscalers"] },
  { apiGroup: "policy", resources: ["poddisruptionbudgets"] },
  { apiGroup: "networking.k8s.io", resources: ["networkpolicies"] },
  {
    apiGroup: "rbac.authorization.k8s.io",
    resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"],
  },
];

/** Properties of a {@link ClusterReader}. */
export interface ClusterReaderProps {
  /** The ClusterRole's (and its binding's) name. */
  readonly name: string;
  /** The Kubernetes group it is bound to (an EKS access entry's `kubernetes_groups`). */
  readonly group: string;
  /** What it may read. Default: {@link TERRAFORM_MANAGED_KINDS}. */
  readonly resources?: readonly ReadableResources[];
}

/**
 * A ClusterRole that may `get` named kinds and nothing else (no `list` or `watch`, no Secrets, no wildcard), bound to
 * one group: what `terraform plan` needs to refresh the objects it manages, for the pipeline's read-only plan role.
 */
export class ClusterReader extends Construct {
  /** The `kubernetes_cluster_role_v1`. */
  public readonly role: ClusterRoleV1;

  constructor(scope: Construct, id: string, props: ClusterReaderProps) {
    super(scope, id);
    const where = this.node.path;
    checkKubernetesName(where, "name", props.name);
    checkKubernetesGroup(where, "group", props.group);
    const resources = props.resources ?? TERRAFORM_MANAGED_KINDS;
    for (const [i, r] of resources.entries()) {
      const bad = r.resources.find(
        (name) => name === "*" || name === "secrets" || !/^[a-z][a-z0-9]*(\/[a-z]+)?$/.test(name),
      );
      if (bad !== undefined || r.resources.length === 0 || r.apiGroup === "*") {
        throw new ValidationError(
          where,
          `resources[${i}]`,
          r,
          "allowed: an API group (not *) and named resources, never * or secrets",
        );
      }
    }
    this.role = new ClusterRoleV1(this, "Role", {
      metadata: { name: props.name },
      rule: resources.map((r) => ({ apiGroups: [r.apiGroup], resources: [...r.resources], verbs: ["get"] })),
    });
    new ClusterRoleBindingV1(this, "Binding", {
      metadata: { name: props.name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: this.role.metadata.name },
      subject: [{ kind: "Group", name: props.group, apiGroup: "rbac.authorization.k8s.io" }],
    });
  }
}
