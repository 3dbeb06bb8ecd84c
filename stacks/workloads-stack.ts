import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AwsContext } from "../constructs/core/aws-context";
import { ClusterReader, TERRAFORM_PLAN_GROUP } from "../constructs/kubernetes/cluster-reader";
import { EksKubernetesProvider } from "../constructs/kubernetes/eks-kubernetes-provider";
import { InferenceService } from "../constructs/kubernetes/inference-service";
import { NvidiaDevicePlugin } from "../constructs/kubernetes/nvidia-device-plugin";
import { SecureNamespace } from "../constructs/kubernetes/secure-namespace";
import { planSubnets } from "../constructs/network/subnet-layout";
import { repositoryUriPrefix } from "../constructs/registry/container-registry";
import { modelSigningKeyAlias } from "../constructs/storage/model-store";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import { modelStoreName } from "./config";

/** Properties of the {@link WorkloadsStack}. */
export interface WorkloadsStackProps extends BlueprintStackProps {
  /** The EKS cluster's name: the one value taken from the platform stack. */
  readonly clusterName: string;
}

/**
 * One environment's Kubernetes objects, on the cluster the platform stack made: the namespaces (restricted Pod
 * Security, quotas, default-deny networking, the `model-reader` Role), an inference service per model, NVIDIA's
 * device plugin, and the read-only ClusterRole `terraform plan` refreshes them with. The kubernetes provider is
 * configured from the cluster's name alone and authenticates with `aws eks get-token`: no token is stored anywhere.
 */
export class WorkloadsStack extends BlueprintStack {
  /** The kubernetes provider and the cluster lookup behind it. */
  public readonly kubernetes: EksKubernetesProvider;
  /** The model namespaces, by name. */
  public readonly namespaces: Readonly<Record<string, SecureNamespace>>;
  /** The inference services, by model name. */
  public readonly services: Readonly<Record<string, InferenceService>>;
  /** NVIDIA's device plugin. */
  public readonly devicePlugin: NvidiaDevicePlugin;

  constructor(scope: Construct, id: string, props: WorkloadsStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const context = AwsContext.of(this);
    this.kubernetes = new EksKubernetesProvider(this, "Kubernetes", {
      clusterName: props.clusterName,
      region: env.region,
    });
    new ClusterReader(this, "TerraformPlanReader", { name: "terraform-plan-reader", group: TERRAFORM_PLAN_GROUP });

    const registries = [repositoryUriPrefix(this, env.namePrefix)];
    const image = (reference: string) => `${registries[0]}/${reference}`;
    const kubernetesVersion = env.cluster.kubernetesVersion;
    // The interface endpoints live in the isolated subnets: the same layout the platform's VPC derives from the config.
    const endpointCidrs = planSubnets(`environment "${env.name}"`, {
      vpcCidr: env.vpcCidr,
      availabilityZoneCount: env.availabilityZones.length,
      egress: env.network.egress,
      isolatedAddressesNeeded: 1,
      subnetCidrs: env.network.subnetCidrs,
    }).isolated;

    const namespaces: Record<string, SecureNamespace> = {};
    for (const namespace of env.workloads.namespaces) {
      namespaces[namespace.name] = new SecureNamespace(this, `Namespace-${namespace.name}`, {
        name: namespace.name,
        kubernetesVersion,
        quota: namespace.quota,
        readerGroups: namespace.readerGroups,
        endpointCidrs,
      });
    }
    this.namespaces = namespaces;

    this.devicePlugin = new NvidiaDevicePlugin(this, "NvidiaDevicePlugin", {
      image: image(env.workloads.devicePluginImage),
      registries,
      kubernetesVersion,
      maxGpuNodes: env.cluster.gpuNodes.scaling.maxSize,
    });

    const services: Record<string, InferenceService> = {};
    for (const model of env.models) {
      services[model.name] = new InferenceService(this, `Model-${model.name}`, {
        name: model.name,
        namespace: namespaces[model.namespace],
        image: image(model.image),
        registries,
        port: model.port,
        nodePort: model.nodePort,
        replicas: model.replicas,
        resources: model.resources,
        model: {
          bucket: env.modelStore.bucketName,
          prefix: model.modelPrefix,
          version: model.version,
          region: context.region,
        },
        verification: {
          signingKey: modelSigningKeyAlias(modelStoreName(env)),
          image: image(env.workloads.modelVerifierImage),
        },
        vpcCidr: env.vpcCidr,
      });
    }
    this.services = services;

    new TerraformOutput(this, "model_node_ports", {
      value: Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.nodePort])),
      description: "The NodePort of each model's inference service, which the load balancer targets",
    });
  }
}
