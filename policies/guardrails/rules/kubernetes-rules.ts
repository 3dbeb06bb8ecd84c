import { problems, type Rule, unverified } from "../rule";
import { isReference, type StackElement, type StackIndex, valueAt, valuesAt } from "../stack-index";

const NAMESPACE = [{ kind: "resource" as const, types: ["kubernetes_namespace_v1", "kubernetes_namespace"] }];

/** Resources that run pods, and where their pod spec is. */
const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
  kubernetes_pod_v1: "spec",
  kubernetes_pod: "spec",
  kubernetes_deployment_v1: "spec.template.spec",
  kubernetes_deployment: "spec.template.spec",
  kubernetes_daemon_set_v1: "spec.template.spec",
  kubernetes_daemonset: "spec.template.spec",
  kubernetes_stateful_set_v1: "spec.template.spec",
  kubernetes_stateful_set: "spec.template.spec",
  kubernetes_replication_controller_v1: "spec.template.spec",
  kubernetes_replication_controller: "spec.template.spec",
  kubernetes_job_v1: "spec.template.spec",
  kubernetes_job: "spec.template.spec",
  kubernetes_cron_job_v1: "spec.job_template.spec.template.spec",
  kubernetes_cron_job: "spec.job_template.spec.template.spec",
};
const WORKLOAD = [{ kind: "resource" as const, types: Object.keys(POD_SPEC_PATHS) }];
const SERVICE = [{ kind: "resource" as const, types: ["kubernetes_service_v1", "kubernetes_service"] }];
const RBAC_ROLE = [
  {
    kind: "resource" as const,
    types: ["kubernetes_role_v1", "kubernetes_role", "kubernetes_cluster_role_v1", "kubernetes_cluster_role"],
  },
];
const RBAC_BINDING = [
  {
    kind: "resource" as const,
    types: [
      "kubernetes_role_binding_v1",
      "kubernetes_role_binding",
      "kubernetes_cluster_role_binding_v1",
      "kubernetes_cluster_role_binding",
    ],
  },
];
const SERVICE_ACCOUNT = [
  {
    kind: "resource" as const,
    types: [
      "kubernetes_service_account_v1",
      "kubernetes_service_account",
      "kubernetes_default_service_account_v1",
      "kubernetes_default_service_account",
    ],
  },
];

const PSS = "pod-security.kubernetes.io";
/** Lowest UID a container may run as (checkov CKV_K8S_40's threshold). */
const MIN_UID = 10000;
/** An image pinned by content. */
const DIGEST = /@sha256:[0-9a-f]{64}$/;
/** An ECR registry host: a literal account, or this stack's own account looked up with `aws_caller_identity`. */
const ECR_HOST =
  /^(\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}|\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;
/** RBAC verbs that hand out more than they say. */
const DANGEROUS_VERBS = ["*", "escalate", "bind", "impersonate"];
/** Groups every caller, or every anonymous caller, is in. */
const EVERYONE = ["system:anonymous", "system:unauthenticated", "system:authenticated"];

type Config = Readonly<Record<string, unknown>>;

/** The pod spec of a workload resource. */
function podSpec(workload: StackElement): Config {
  return (valueAt(workload.config, POD_SPEC_PATHS[workload.type]) ?? {}) as Config;
}

/** The verifier's script: an init container that runs it is the model's signature check. */
const VERIFIER_SCRIPT = "verify-model.sh";
/** What the verifier must be told: where the version is, the key and algorithm, and where the checked files go. */
const VERIFIER_ENV = ["MODEL_BUCKET", "MODEL_VERSION_PREFIX", "SIGNING_KEY_ID", "SIGNING_ALGORITHM", "MODEL_DIR"];
/** What a script must do to count as the verifier: have KMS verify the signature and check every file. */
const VERIFIER_STEPS = ["aws kms verify", "--message-type DIGEST", "sha256sum --check --strict"];

/** The labels of a workload's pods. */
function podLabels(workload: StackElement): Config {
  const specPath = POD_SPEC_PATHS[workload.type];
  const labelsPath = specPath === "spec" ? "metadata.labels" : `${specPath.slice(0, -".spec".length)}.metadata.labels`;
  return (valueAt(workload.config, labelsPath) ?? {}) as Config;
}

/** A workload that serves a model: its pods are labelled inference, or a container asks for a GPU. */
function servesModel(workload: StackElement): boolean {
  if (podLabels(workload)["app.kubernetes.io/component"] === "inference") return true;
  return containers(podSpec(workload)).some(({ config }) =>
    ["resources.requests", "resources.limits"].some(
      (path) => ((valueAt(config, path) ?? {}) as Config)["nvidia.com/gpu"] !== undefined,
    ),
  );
}

/** The problems of a model-serving pod's signature check (SMD-K8S-13). */
function verificationProblems(workload: StackElement, index: StackIndex): string[] {
  const spec = podSpec(workload);
  const inits = valuesAt(spec, "init_container") as Config[];
  const runs = (c: Config) =>
    [...valuesAt(c, "command"), ...valuesAt(c, "args")].find(
      (a) => typeof a === "string" && (a === VERIFIER_SCRIPT || a.endsWith(`/${VERIFIER_SCRIPT}`)),
    ) as string | undefined;
  const verifier = inits.find((c) => runs(c) !== undefined);
  if (!verifier) {
    return [`no init container runs ${VERIFIER_SCRIPT}: the model server would load a model nobody verified`];
  }
  const name = `init_container ${String(verifier.name)}`;
  const env = new Map((valuesAt(verifier, "env") as Config[]).map((e) => [String(e.name), e.value]));
  const mounts = (c: Config) => valuesAt(c, "volume_mount") as Config[];
  const volumes = valuesAt(spec, "volume") as Config[];
  const out: string[] = [];
  if (inits[0] !== verifier) out.push(`${name} is not the first init container: another would run before the check`);
  for (const key of VERIFIER_ENV) {
    const value = env.get(key);
    if (value === undefined || value === "") out.push(`${name} has no ${key}`);
  }
  // The script: from a ConfigMap of this stack that does verify, mounted read-only.
  const script = runs(verifier) ?? "";
  const scriptMount = mounts(verifier).find((m) => script.startsWith(`${String(m.mount_path).replace(/\/$/, "")}/`));
  const scriptVolume = volumes.find((v) => v.name === scriptMount?.name);
  const mapName = scriptVolume ? valueAt(scriptVolume, "config_map.name") : undefined;
  const target = index.target(mapName);
  const map =
    target?.element ??
    ["kubernetes_config_map_v1", "kubernetes_config_map"]
      .flatMap((type) => index.all("resource", type))
      .find((m) => valueAt(m.config, "metadata.name") === mapName);
  const body = map ? ((valueAt(map.config, "data") ?? {}) as Config)[VERIFIER_SCRIPT] : undefined;
  if (typeof body !== "string" || !VERIFIER_STEPS.every((step) => body.includes(step))) {
    out.push(
      `${name} does not run ${VERIFIER_SCRIPT} from a ConfigMap of this stack that verifies (${VERIFIER_STEPS.join(", ")})`,
    );
  } else if (scriptMount?.read_only !== true) {
    out.push(`${name} mounts its script writable`);
  }
  // The model: written by the verifier alone, into an emptyDir every other container mounts read-only.
  const modelMount = mounts(verifier).find((m) => m.mount_path === env.get("MODEL_DIR"));
  const modelVolume = volumes.find((v) => v.name === modelMount?.name);
  if (!modelMount || !modelVolume) {
    out.push(`${name} does not mount a volume at its MODEL_DIR`);
    return out;
  }
  if (valueAt(modelVolume, "empty_dir") === undefined) {
    out.push(`the model volume ${String(modelVolume.name)} is not an emptyDir: files could be there before the check`);
  }
  const readers = containers(spec).filter(
    ({ config }) => config !== verifier && mounts(config).some((m) => m.name === modelVolume.name),
  );
  for (const { label, config } of readers) {
    if (!mounts(config).every((m) => m.name !== modelVolume.name || m.read_only === true)) {
      out.push(`${label} mounts the verified model volume ${String(modelVolume.name)} writable`);
    }
  }
  if (!readers.some(({ label }) => label.startsWith("container "))) {
    out.push(
      `no container mounts the verified model volume ${String(modelVolume.name)}: the server loads something else`,
    );
  }
  return out;
}

/** Every container of a pod spec, init containers included, with a label for messages. */
function containers(spec: Config): { label: string; config: Config }[] {
  return (["init_container", "container"] as const).flatMap((kind) =>
    (valuesAt(spec, kind) as Config[]).map((config) => ({ label: `${kind} ${String(config.name)}`, config })),
  );
}

/** The namespace's name as its objects give it: the literal, or a reference to the namespace resource. */
function inNamespace(element: StackElement, namespace: StackElement, index: StackIndex): boolean {
  const value = valueAt(element.config, "metadata.namespace");
  const name = valueAt(namespace.config, "metadata.name");
  return (value !== undefined && value === name) || index.target(value)?.element === namespace;
}

/** The objects of a type in a namespace. */
function objectsIn(namespace: StackElement, index: StackIndex, types: readonly string[]): StackElement[] {
  return types.flatMap((type) => index.all("resource", type)).filter((e) => inNamespace(e, namespace, index));
}

/** True when a NetworkPolicy selects every pod and admits nothing, in both directions. */
function isDefaultDeny(policy: StackElement): boolean {
  const selector = (valueAt(policy.config, "spec.pod_selector") ?? {}) as Config;
  const selectsAll =
    valuesAt(selector, "match_labels").every((l) => l === null || Object.keys(l as object).length === 0) &&
    valuesAt(selector, "match_expressions").length === 0;
  const types = valuesAt(policy.config, "spec.policy_types");
  return (
    selectsAll &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    valuesAt(policy.config, "spec.ingress").length === 0 &&
    valuesAt(policy.config, "spec.egress").length === 0 &&
    valueAt(policy.config, "spec.dynamic") === undefined
  );
}

/** A security-context setting of a container, falling back to the pod's where Kubernetes does. */
function effective(container: Config, pod: Config, key: string): unknown {
  const own = valueAt(container, `security_context.${key}`);
  return own !== undefined ? own : valueAt(pod, `security_context.${key}`);
}

/** A value as a number, when it is a literal one (the provider writes UIDs as strings). */
function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Rules for the Kubernetes objects of the workloads stack and the provider that creates them. */
export const KUBERNETES_RULES: readonly Rule[] = [
  {
    id: "SMD-K8S-1",
    title: "Namespaces enforce the restricted Pod Security Standard, audit and warn at restricted, versions pinned",
    level: "error",
    controls: ["C-K8S-POD-SECURITY"],
    checkov: ["CKV_SMD_3"],
    fix: 'label the namespace pod-security.kubernetes.io/enforce, /audit and /warn = "restricted" and each /<mode>-version = "v<cluster minor>" (SecureNamespace does; allowPrivilegedPods records this rule\'s suppression for a node agent)',
    targets: NAMESPACE,
    check: (namespace) => {
      const labels = (valueAt(namespace.config, "metadata.labels") ?? {}) as Record<string, unknown>;
      return ["enforce", "audit", "warn"].flatMap((mode) => {
        const level = labels[`${PSS}/${mode}`];
        const version = labels[`${PSS}/${mode}-version`];
        return problems(
          level === "restricted" ? undefined : `${PSS}/${mode} is ${JSON.stringify(level)} (must be "restricted")`,
          typeof version === "string" && /^v1\.\d+$/.test(version)
            ? undefined
            : `${PSS}/${mode}-version is ${JSON.stringify(version)} (must pin a version such as "v1.35": "latest" or none changes with every upgrade)`,
        );
      });
    },
  },
  {
    id: "SMD-K8S-2",
    title: "Every namespace has a default-deny NetworkPolicy for ingress and egress",
    level: "error",
    controls: ["C-K8S-NETWORK-POLICY", "C-NETWORK-ISOLATION"],
    checkov: ["CKV_SMD_4"],
    fix: "add a NetworkPolicy in the namespace with an empty pod_selector, policy_types Ingress and Egress and no rules, then allow what is needed in further policies (SecureNamespace does)",
    targets: NAMESPACE,
    check: (namespace, index) =>
      objectsIn(namespace, index, ["kubernetes_network_policy_v1", "kubernetes_network_policy"]).some(isDefaultDeny)
        ? []
        : [
            `no NetworkPolicy of this stack in the namespace ${String(valueAt(namespace.config, "metadata.name"))} selects every pod and denies all ingress and egress`,
          ],
  },
  {
    id: "SMD-K8S-3",
    title: "Containers run images of an ECR registry, pinned by digest and pulled on every start",
    level: "error",
    controls: ["C-ARTIFACT-INTEGRITY"],
    checkov: ["CKV_K8S_43", "CKV_K8S_14", "CKV_K8S_15"],
    fix: 'set image = "<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest>" and image_pull_policy = "Always" (InferenceService and NvidiaDevicePlugin refuse anything else unless allowMutableTag records this rule\'s suppression)',
    targets: WORKLOAD,
    check: (workload) =>
      containers(podSpec(workload)).flatMap(({ label, config }) => {
        const image = config.image;
        if (typeof image !== "string") return [`${label} has no image`];
        return problems(
          DIGEST.test(image) ? undefined : `${label} runs ${image}, not pinned by @sha256 digest`,
          ECR_HOST.test(image) ? undefined : `${label} runs ${image}, which is not from an ECR registry`,
          config.image_pull_policy === "Always"
            ? undefined
            : `${label} has image_pull_policy ${JSON.stringify(config.image_pull_policy)} (must be "Always", so that every start is authorized by the registry)`,
        );
      }),
  },
  {
    id: "SMD-K8S-4",
    title:
      "Containers run as non-root UIDs of 10000 or more, read-only, without privilege, escalation or capabilities, under seccomp",
    level: "error",
    controls: ["C-K8S-POD-SECURITY"],
    checkov: [
      "CKV_K8S_16",
      "CKV_K8S_20",
      "CKV_K8S_22",
      "CKV_K8S_25",
      "CKV_K8S_28",
      "CKV_K8S_29",
      "CKV_K8S_30",
      "CKV_K8S_37",
      "CKV_K8S_39",
    ],
    fix: 'set in each container\'s security_context: run_as_non_root = true, run_as_user >= 10000, allow_privilege_escalation = false, privileged = false, read_only_root_filesystem = true, capabilities { drop = ["ALL"] } and nothing added, seccomp_profile { type = "RuntimeDefault" } (InferenceService does)',
    targets: WORKLOAD,
    check: (workload) => {
      const pod = podSpec(workload);
      return containers(pod).flatMap(({ label, config }) => {
        const uid = effective(config, pod, "run_as_user");
        const uidNumber = asNumber(uid);
        const drop = valuesAt(config, "security_context.capabilities.drop");
        const add = valuesAt(config, "security_context.capabilities.add");
        const seccomp = effective(config, pod, "seccomp_profile.type");
        return problems(
          effective(config, pod, "run_as_non_root") === true ? undefined : `${label}: run_as_non_root is not true`,
          isReference(uid)
            ? unverified(`${label}: run_as_user`, uid)
            : uidNumber !== undefined && uidNumber >= MIN_UID
              ? undefined
              : `${label}: run_as_user is ${JSON.stringify(uid)} (must be ${MIN_UID} or more)`,
          valueAt(config, "security_context.allow_privilege_escalation") === false
            ? undefined
            : `${label}: allow_privilege_escalation is not false`,
          valueAt(config, "security_context.privileged") === true ? `${label} is privileged` : undefined,
          valueAt(config, "security_context.read_only_root_filesystem") === true
            ? undefined
            : `${label}: read_only_root_filesystem is not true`,
          drop.includes("ALL") ? undefined : `${label}: capabilities.drop does not include ALL`,
          add.length > 0 ? `${label} adds capabilities ${add.join(", ")}` : undefined,
          seccomp === "RuntimeDefault" || seccomp === "Localhost"
            ? undefined
            : `${label}: seccomp_profile.type is ${JSON.stringify(seccomp)} (must be RuntimeDefault or Localhost)`,
        );
      });
    },
  },
  {
    id: "SMD-K8S-5",
    title: "Pods share no host namespace and bind no host port",
    level: "error",
    controls: ["C-K8S-POD-SECURITY", "C-NETWORK-ISOLATION"],
    checkov: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19", "CKV_K8S_26"],
    suppressible: false,
    fix: "leave host_network, host_pid and host_ipc unset or false and set no host_port: a pod on the host's network bypasses every NetworkPolicy and reaches the instance metadata",
    targets: WORKLOAD,
    check: (workload) => {
      const pod = podSpec(workload);
      return [
        ...(["host_network", "host_pid", "host_ipc"] as const).flatMap((key) =>
          pod[key] === undefined || pod[key] === false ? [] : [`${key} is ${JSON.stringify(pod[key])}`],
        ),
        ...containers(pod).flatMap(({ label, config }) =>
          valuesAt(config, "port.host_port").some((p) => p !== undefined && p !== 0)
            ? [`${label} binds a host port`]
            : [],
        ),
      ];
    },
  },
  {
    id: "SMD-K8S-6",
    title: "Pods mount no host path",
    level: "error",
    controls: ["C-K8S-POD-SECURITY"],
    checkov: ["CKV_K8S_27"],
    fix: "use emptyDir, projected or CSI volumes; a node agent that must reach a host directory records this rule's suppression with the path and the reason (NvidiaDevicePlugin does for the kubelet's device-plugin directory)",
    targets: WORKLOAD,
    check: (workload) =>
      (valuesAt(podSpec(workload), "volume") as Config[])
        .filter((v) => valuesAt(v, "host_path").length > 0)
        .map((v) => `volume ${String(v.name)} mounts the host path ${String(valueAt(v, "host_path.path"))}`),
  },
  {
    id: "SMD-K8S-7",
    title: "Containers set CPU and memory requests and limits; GPUs are requested, as many as the limit",
    level: "error",
    controls: ["C-K8S-POD-SECURITY", "C-RATE-LIMITING"],
    checkov: ["CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13"],
    fix: 'set resources { requests = { cpu, memory }, limits = { cpu, memory } } on every container and, with GPUs, "nvidia.com/gpu" equal in both (InferenceService refuses anything else)',
    targets: WORKLOAD,
    check: (workload) =>
      containers(podSpec(workload)).flatMap(({ label, config }) => {
        const requests = (valueAt(config, "resources.requests") ?? {}) as Record<string, unknown>;
        const limits = (valueAt(config, "resources.limits") ?? {}) as Record<string, unknown>;
        const gpu = "nvidia.com/gpu";
        return [
          ...(["requests", "limits"] as const).flatMap((kind) =>
            ["cpu", "memory"].flatMap((r) =>
              (kind === "requests" ? requests : limits)[r] === undefined
                ? [`${label} has no ${r} ${kind.slice(0, -1)}`]
                : [],
            ),
          ),
          ...(limits[gpu] !== undefined && requests[gpu] === undefined
            ? [`${label} limits ${gpu} without requesting it`]
            : []),
          ...(limits[gpu] !== undefined && requests[gpu] !== undefined && String(limits[gpu]) !== String(requests[gpu])
            ? [`${label} requests ${String(requests[gpu])} ${gpu} but limits ${String(limits[gpu])}`]
            : []),
        ];
      }),
  },
  {
    id: "SMD-K8S-8",
    title: "Service accounts and pods mount no API token",
    level: "error",
    controls: ["C-SHORT-LIVED-CREDENTIALS", "C-K8S-RBAC"],
    checkov: ["CKV_K8S_41"],
    fix: "set automount_service_account_token = false on every service account (the default one included, with kubernetes_default_service_account_v1) and every pod spec; AWS credentials come from EKS Pod Identity, which needs no token mount",
    targets: [...SERVICE_ACCOUNT, ...WORKLOAD],
    check: (element) => {
      const config = element.type in POD_SPEC_PATHS ? podSpec(element) : element.config;
      return config.automount_service_account_token === false
        ? []
        : [
            `automount_service_account_token is ${JSON.stringify(config.automount_service_account_token)} (must be false)`,
          ];
    },
  },
  {
    id: "SMD-K8S-9",
    title: "Services are not load balancers and have no external IPs",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    fix: "use a ClusterIP or NodePort Service behind the blueprint's internal load balancer; a LoadBalancer Service creates an AWS load balancer outside the code, and external IPs let a Service capture any address",
    targets: SERVICE,
    check: (service) =>
      problems(
        valueAt(service.config, "spec.type") === "LoadBalancer" ? "spec.type is LoadBalancer" : undefined,
        valuesAt(service.config, "spec.external_ips").length > 0 ? "spec.external_ips is set" : undefined,
      ),
  },
  {
    id: "SMD-K8S-10",
    title: "RBAC names its verbs and resources, never grants Secrets or escalation, and never binds everyone",
    level: "error",
    controls: ["C-K8S-RBAC", "C-LEAST-PRIVILEGE"],
    checkov: ["CKV_K8S_49"],
    fix: "list verbs, API groups and resources by name; leave out secrets and the escalate, bind and impersonate verbs; bind groups or service accounts, never system:anonymous, system:unauthenticated or system:authenticated",
    targets: [...RBAC_ROLE, ...RBAC_BINDING],
    check: (element) => {
      if (RBAC_BINDING[0].types.includes(element.type)) {
        return (valuesAt(element.config, "subject") as Config[])
          .filter((s) => EVERYONE.includes(String(s.name)))
          .map((s) => `binds ${String(s.name)}`);
      }
      return (valuesAt(element.config, "rule") as Config[]).flatMap((rule, i) => {
        const verbs = valuesAt(rule, "verbs").map(String);
        const resources = valuesAt(rule, "resources").map(String);
        const groups = valuesAt(rule, "api_groups").map(String);
        return problems(
          verbs.some((v) => DANGEROUS_VERBS.includes(v))
            ? `rule ${i} has the verbs ${verbs.filter((v) => DANGEROUS_VERBS.includes(v)).join(", ")}`
            : undefined,
          resources.includes("*") || groups.includes("*")
            ? `rule ${i} has a wildcard resource or API group`
            : undefined,
          resources.includes("secrets") ? `rule ${i} grants access to secrets` : undefined,
        );
      });
    },
  },
  {
    id: "SMD-K8S-11",
    title: "The kubernetes provider authenticates with short-lived exec tokens; no credential is in the configuration",
    level: "error",
    controls: ["C-SHORT-LIVED-CREDENTIALS", "C-SECRETS"],
    suppressible: false,
    fix: 'configure host and cluster_ca_certificate from an aws_eks_cluster data source and exec { api_version = "client.authentication.k8s.io/v1beta1", command = "aws", args = ["eks", "get-token", ...] } (EksKubernetesProvider does); never token, password, client_key, a kubeconfig or insecure',
    targets: [{ kind: "provider", types: ["kubernetes"] }],
    check: (provider) =>
      problems(
        ...["token", "password", "username", "client_key", "client_certificate", "config_path", "config_paths"].map(
          (key) =>
            provider.config[key] !== undefined
              ? `${key} is set: credentials in the configuration land in state and plans`
              : undefined,
        ),
        provider.config.insecure === true ? "insecure is true: the API server's certificate is not checked" : undefined,
        valuesAt(provider.config, "exec").length === 0
          ? "no exec block: nothing fetches a short-lived token"
          : undefined,
        provider.config.cluster_ca_certificate === undefined
          ? "cluster_ca_certificate is not set: the API server cannot be authenticated"
          : undefined,
      ),
  },
  {
    id: "SMD-K8S-12",
    title: "Every namespace has a ResourceQuota and a LimitRange",
    level: "error",
    controls: ["C-K8S-POD-SECURITY", "C-RATE-LIMITING"],
    fix: "add a ResourceQuota (CPU, memory, GPUs, pods) and a LimitRange in the namespace (SecureNamespace does): one workload must not starve the others or the GPUs",
    targets: NAMESPACE,
    check: (namespace, index) =>
      problems(
        objectsIn(namespace, index, ["kubernetes_resource_quota_v1", "kubernetes_resource_quota"]).length > 0
          ? undefined
          : "no ResourceQuota of this stack in the namespace",
        objectsIn(namespace, index, ["kubernetes_limit_range_v1", "kubernetes_limit_range"]).length > 0
          ? undefined
          : "no LimitRange of this stack in the namespace",
      ),
  },
  {
    id: "SMD-K8S-13",
    title: "Pods that serve a model verify its signature before the server starts",
    level: "error",
    controls: ["C-MODEL-SIGNING", "C-TAMPER-FAILS"],
    suppressible: false,
    fix: "give the pod InferenceService's verifier: a first init container that runs verify-model.sh from a read-only ConfigMap with MODEL_BUCKET, MODEL_VERSION_PREFIX, SIGNING_KEY_ID, SIGNING_ALGORITHM and MODEL_DIR, writing the checked files into an emptyDir that every other container mounts read-only",
    targets: WORKLOAD,
    applies: (workload) => servesModel(workload),
    check: (workload, index) => verificationProblems(workload, index),
  },
];
