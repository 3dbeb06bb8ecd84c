import type { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";
import { GPU_NODE_LABELS, GPU_TAINT } from "../cluster/gpu-node-group";
import { checkIntegerInRange } from "../core/validation";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { checkImage } from "./container-image";
import { SecureNamespace } from "./secure-namespace";

/** The device plugin's namespace (the one that enforces the privileged Pod Security level). */
export const DEVICE_PLUGIN_NAMESPACE = "nvidia-device-plugin";

/** Where the kubelet looks for device plugins' sockets: the one host path the plugin mounts. */
export const DEVICE_PLUGIN_SOCKET_DIR = "/var/lib/kubelet/device-plugins";

/** Why the device plugin's namespace enforces the `privileged` Pod Security level (the suppression register says so). */
export const DEVICE_PLUGIN_PRIVILEGE_REASON =
  "NVIDIA's device plugin registers GPUs with the kubelet through a Unix socket in the host path /var/lib/kubelet/device-plugins, which only the privileged Pod Security level admits; the namespace holds that one DaemonSet, with no other host access, no privilege escalation and no capabilities";

/** Why the device plugin runs as root (the suppression of SMD-K8S-4 on its DaemonSet). */
export const DEVICE_PLUGIN_ROOT_REASON =
  "The kubelet creates its device-plugin directory owned by root and not writable by others, so the plugin must run as UID 0 to create its socket there; it keeps no capabilities, cannot escalate, has a read-only root filesystem and mounts only that directory";

/** Why the device plugin mounts a host path (the suppression of SMD-K8S-6 on its DaemonSet). */
export const DEVICE_PLUGIN_HOST_PATH_REASON =
  "The kubelet discovers device plugins only through Unix sockets in /var/lib/kubelet/device-plugins on the host; the plugin mounts that one directory (type Directory, never created) and no other host path";

/** Properties of an {@link NvidiaDevicePlugin}. */
export interface NvidiaDevicePluginProps {
  /** The plugin's image, copied into the blueprint's registry and pinned by digest (`.../nvidia/k8s-device-plugin@sha256:...`). */
  readonly image: string;
  /** Registry URI prefixes images may come from (the environment's ECR namespace). */
  readonly registries: readonly string[];
  /** The cluster's Kubernetes version, for the namespace's Pod Security labels. */
  readonly kubernetesVersion: string;
  /** Most GPU nodes the cluster can have (the GPU node group's `maxSize`): the namespace's pod quota. */
  readonly maxGpuNodes: number;
}

const REQUESTS = { cpu: "50m", memory: "64Mi" };
const LIMITS = { cpu: "200m", memory: "256Mi" };

/**
 * NVIDIA's Kubernetes device plugin, which advertises each GPU node's GPUs as `nvidia.com/gpu`: a DaemonSet in a
 * namespace of its own, the one namespace that enforces the `privileged` Pod Security level (it mounts the kubelet's
 * device-plugin directory), still default-deny with no network allowance at all (it talks to the kubelet over a Unix
 * socket) and a pod quota of one per GPU node. The pods run only on GPU nodes (node selector, GPU taint tolerated),
 * as `system-node-critical`, with no capabilities, no privilege escalation, a read-only root filesystem, seccomp
 * `RuntimeDefault`, no service-account token and no access to the Kubernetes API, from an image pinned by digest.
 */
export class NvidiaDevicePlugin extends Construct {
  /** The plugin's namespace. */
  public readonly namespace: SecureNamespace;
  /** The `kubernetes_daemon_set_v1`. */
  public readonly daemonSet: DaemonSetV1;

  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps) {
    super(scope, id);
    const where = this.node.path;
    checkImage(where, "image", props.image, props.registries);
    checkIntegerInRange(where, "maxGpuNodes", props.maxGpuNodes, 1, 450);
    const nodes = props.maxGpuNodes;
    this.namespace = new SecureNamespace(this, "Namespace", {
      name: DEVICE_PLUGIN_NAMESPACE,
      kubernetesVersion: props.kubernetesVersion,
      // One pod per node, plus one while a node is replaced or the DaemonSet rolls.
      quota: { cpu: `${(nodes + 1) * 200}m`, memory: `${(nodes + 1) * 256}Mi`, pods: nodes + 1 },
      containerDefaults: { requests: REQUESTS, limits: LIMITS },
      allowDns: false,
      allowPrivilegedPods: { reason: DEVICE_PLUGIN_PRIVILEGE_REASON },
    });
    this.namespace.reserve(where, "resources", { requests: REQUESTS, limits: LIMITS }, nodes + 1);
    const labels = { "app.kubernetes.io/name": "nvidia-device-plugin", "app.kubernetes.io/component": "device-plugin" };
    const metadata = { name: "nvidia-device-plugin", namespace: this.namespace.name, labels };
    const serviceAccount = new ServiceAccountV1(this, "ServiceAccount", {
      metadata,
      automountServiceAccountToken: false,
    });
    // Loaded here, not at the top: one of the largest modules of the kubernetes bindings (about 90 ms).
    const { DaemonSetV1: DaemonSet } =
      require("@cdktf/provider-kubernetes/lib/daemon-set-v1") as typeof import("@cdktf/provider-kubernetes/lib/daemon-set-v1");
    this.daemonSet = new DaemonSet(this, "DaemonSet", {
      metadata,
      waitForRollout: false,
      spec: {
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "1" } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: serviceAccount.metadata.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            priorityClassName: "system-node-critical",
            nodeSelector: { accelerator: GPU_NODE_LABELS.accelerator },
            toleration: [{ key: GPU_TAINT.key, operator: "Exists", effect: "NoSchedule" }],
            securityContext: { seccompProfile: { type: "RuntimeDefault" } },
            container: [
              {
                name: "nvidia-device-plugin",
                image: props.image,
                imagePullPolicy: "Always",
                args: ["--fail-on-init-error=true"],
                resources: { requests: REQUESTS, limits: LIMITS },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsUser: "0",
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                volumeMount: [
                  { name: "device-plugin", mountPath: DEVICE_PLUGIN_SOCKET_DIR },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volume: [
              { name: "device-plugin", hostPath: { path: DEVICE_PLUGIN_SOCKET_DIR, type: "Directory" } },
              { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
            ],
          },
        },
      },
    });
    Guardrails.suppress(this.daemonSet, "SMD-K8S-4", DEVICE_PLUGIN_ROOT_REASON);
    Guardrails.suppress(this.daemonSet, "SMD-K8S-6", DEVICE_PLUGIN_HOST_PATH_REASON);
  }
}
