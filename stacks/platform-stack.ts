import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { GpuNodeGroup } from "../constructs/cluster/gpu-node-group";
import { SecureEksCluster } from "../constructs/cluster/secure-eks-cluster";
import { SystemNodeGroup } from "../constructs/cluster/system-node-group";
import { AwsContext } from "../constructs/core/aws-context";
import { TERRAFORM_PLAN_GROUP } from "../constructs/kubernetes/cluster-reader";
import { ModelStoreMalwareScan } from "../constructs/detection/model-store-malware-scan";
import { ModelTamperAlert } from "../constructs/detection/model-tamper-alert";
import { topicArn } from "../constructs/detection/security-alerts";
import { WorkloadRole } from "../constructs/identity/workload-role";
import { KmsKey } from "../constructs/keys/kms-key";
import { SecureVpc } from "../constructs/network/secure-vpc";
import { ContainerRegistry } from "../constructs/registry/container-registry";
import { ModelStore } from "../constructs/storage/model-store";
import { SecureBucket } from "../constructs/storage/secure-bucket";
import { InferenceAlarms } from "../constructs/edge/inference-alarms";
import { InferenceApi } from "../constructs/edge/inference-api";
import { InferenceLoadBalancer } from "../constructs/edge/inference-load-balancer";
import { WebAcl } from "../constructs/edge/web-acl";
import { Guardrails } from "../policies/guardrails/guardrails";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import { accessRoleArn, baselineNames, ciNames, modelStoreName, replicaBucketName } from "./config";

/**
 * One environment's AWS footprint: keys, the network, the model store (with its signing key, replica and tamper
 * alert), the container registry, the EKS cluster with its node groups and one workload role per model (and the
 * pipeline's access entries), and the edge: the web ACL, the inference API, the internal load balancer to the GPU
 * nodes' NodePorts and the alarms.
 */
export class PlatformStack extends BlueprintStack {
  /** Key for every CloudWatch log group of the environment (flow logs, control-plane and access logs). */
  public readonly logsKey: KmsKey;
  /** The environment's VPC. */
  public readonly network: SecureVpc;
  /** The model store: bucket, keys, replica. */
  public readonly modelStore: ModelStore;
  /** The container registry. */
  public readonly registry: ContainerRegistry;
  /** The EKS cluster. */
  public readonly cluster: SecureEksCluster;
  /** The cluster-services node group. */
  public readonly systemNodes: SystemNodeGroup;
  /** The GPU node group. */
  public readonly gpuNodes: GpuNodeGroup;
  /** Each model's pod identity, by model name: it reads that model's prefix of the store and nothing else. */
  public readonly modelRoles: Readonly<Record<string, WorkloadRole>>;
  /** The bucket of the edge's load balancer access logs. */
  public readonly edgeLogs: SecureBucket;
  /** The internal load balancer in front of the GPU nodes' NodePorts. */
  public readonly loadBalancer: InferenceLoadBalancer;
  /** The inference API. */
  public readonly api: InferenceApi;
  /** The web ACL in front of the API. */
  public readonly webAcl: WebAcl;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id, props);
    const env = props.environment;
    this.logsKey = new KmsKey(this, "LogsKey", {
      alias: `${env.namePrefix}-logs`,
      description: `CloudWatch Logs encryption for the ${env.name} environment`,
      administrators: env.keyAdministratorArns,
      viewers: [this.planRoleArn],
      deletionWindowInDays: env.keyDeletionWindowInDays,
    });
    this.network = new SecureVpc(this, "Network", {
      name: env.namePrefix,
      vpcCidr: env.vpcCidr,
      availabilityZones: env.availabilityZones,
      egress: env.network.egress,
      subnetCidrs: env.network.subnetCidrs,
      flowLogKey: this.logsKey,
      flowLogRetentionInDays: env.network.flowLogRetentionInDays,
    });

    const context = AwsContext.of(this);
    const names = ciNames(env);
    const role = (name: string) => context.iamArn(`role/${name}`);
    const breakGlassRoleArn = env.modelStore.breakGlassRoleArn ?? role(`${env.namePrefix}-break-glass`);
    const keys = {
      administrators: env.keyAdministratorArns,
      viewers: [this.planRoleArn],
      deletionWindowInDays: env.keyDeletionWindowInDays,
    };
    this.modelStore = new ModelStore(this, "ModelStore", {
      name: modelStoreName(env),
      bucketName: env.modelStore.bucketName,
      publishers: [role(names.modelPublisherRole)],
      publishPrefix: env.modelStore.publishPrefix,
      breakGlassRoleArn,
      vpcEndpointIds: [this.network.s3GatewayEndpointId],
      objectLock: env.modelStore.objectLock,
      noncurrentVersionExpirationDays: env.modelStore.noncurrentVersionExpirationDays,
      replication: env.modelStore.replicaRegion
        ? { region: env.modelStore.replicaRegion, bucketName: replicaBucketName(env.modelStore) }
        : undefined,
      replicationRoleName: `${names.serviceRolePrefix}model-replication`,
      delegatedReaderRolePrefix: env.modelStore.appReaderRolePrefix,
      keys,
    });
    new ModelStoreMalwareScan(this, "ModelStoreMalwareScan", {
      store: this.modelStore,
      roleName: `${names.serviceRolePrefix}model-malware-scan`,
    });
    new ModelTamperAlert(this, "ModelTamperAlert", {
      store: this.modelStore,
      topicArn: topicArn(this, baselineNames(env).alertTopic),
    });
    this.registry = new ContainerRegistry(this, "Registry", {
      namespace: env.namePrefix,
      repositories: env.registry.repositories,
      pushers: [role(names.imagePublisherRole)],
      pullThroughCache: env.registry.pullThroughCache,
      untaggedImageExpirationDays: env.registry.untaggedImageExpirationDays,
      breakGlassRoleArn,
      cacheCreationRoleName: `${names.serviceRolePrefix}ecr-cache-creation`,
      keys,
    });

    this.cluster = new SecureEksCluster(this, "Cluster", {
      name: env.namePrefix,
      kubernetesVersion: env.cluster.kubernetesVersion,
      network: {
        vpcId: this.network.vpcId,
        vpcCidr: this.network.cidr,
        subnetIds: this.network.subnetIds.private,
        s3PrefixListId: this.network.s3PrefixListId,
      },
      logsKey: this.logsKey,
      logRetentionInDays: env.cluster.logRetentionInDays,
      registry: this.registry,
      access: [
        ...env.cluster.access.map((entry) => ({
          principalArn: accessRoleArn(entry.role, (resource) => context.iamArn(resource)),
          policy: entry.policy,
          namespaces: entry.namespaces,
          kubernetesGroups: entry.kubernetesGroups,
        })),
        // The pipeline applies the workloads stack (namespaces, RBAC, cluster-wide objects: only cluster-admin may)
        // and plans it with a read-only ClusterRole that stack binds to this group.
        { principalArn: role(names.applyRole), policy: "cluster-admin" as const },
        { principalArn: role(names.planRole), kubernetesGroups: [TERRAFORM_PLAN_GROUP] },
      ],
      allowPublicEndpoint: env.cluster.publicEndpointCidrs ? { cidrs: env.cluster.publicEndpointCidrs } : undefined,
      keys,
    });
    this.systemNodes = new SystemNodeGroup(this, "SystemNodes", { cluster: this.cluster, ...env.cluster.systemNodes });
    this.gpuNodes = new GpuNodeGroup(this, "GpuNodes", { cluster: this.cluster, ...env.cluster.gpuNodes });
    const modelRoles: Record<string, WorkloadRole> = {};
    for (const model of env.models) {
      const workload = new WorkloadRole(this, `Model-${model.name}`, {
        roleName: `${env.namePrefix}-model-${model.name}`,
        description: `Inference service of the model ${model.name}: reads ${model.modelPrefix} of the model store`,
        cluster: this.cluster,
        namespace: model.namespace,
        serviceAccount: model.name,
      });
      this.modelStore.grantRead(workload, model.modelPrefix);
      modelRoles[model.name] = workload;
    }
    this.modelRoles = modelRoles;

    // The edge: WAF, the API, the private path to the GPU nodes' NodePorts, and its alarms.
    const edge = env.edge;
    const edgeName = `${env.namePrefix}-inference`;
    this.edgeLogs = new SecureBucket(this, "EdgeLogs", {
      bucketName: edge.logBucketName,
      receivesAccessLogs: true,
      expirationDays: edge.logRetentionInDays,
      noncurrentVersionExpirationDays: 30,
    });
    Guardrails.suppress(
      this.edgeLogs.resource,
      "CKV_AWS_144",
      "The load balancer's access logs are versioned, protected from destroy and kept with the edge's log retention in the environment's region; a second copy belongs in an Organization's log-archive account, which the blueprint does not own",
    );
    this.loadBalancer = new InferenceLoadBalancer(this, "LoadBalancer", {
      name: edgeName,
      vpcId: this.network.vpcId,
      vpcCidr: this.network.cidr,
      subnetIds: this.network.subnetIds.private,
      nodeSecurityGroupId: this.cluster.nodeSecurityGroup.id,
      autoScalingGroupNames: [this.gpuNodes.autoScalingGroupName],
      models: env.models.map((m) => ({ name: m.name, nodePort: m.nodePort })),
      accessLogs: this.edgeLogs,
    });
    this.api = new InferenceApi(this, "Api", {
      name: edgeName,
      loadBalancer: this.loadBalancer,
      models: env.models.map((m) => ({ name: m.name, port: this.loadBalancer.targets[m.name].port })),
      authorization: edge.authorization,
      cognitoDomainPrefix: edge.cognitoDomainPrefix ?? edgeName,
      tiers: edge.tiers,
      consumers: edge.consumers,
      throttle: edge.throttle,
      loggingLevel: edge.loggingLevel,
      logsKey: this.logsKey,
      logRetentionInDays: edge.logRetentionInDays,
      cache: edge.cache,
      customDomain: edge.customDomain,
    });
    this.webAcl = new WebAcl(this, "WebAcl", {
      name: edgeName,
      resourceArns: [this.api.stageArn],
      rateLimit: edge.waf.rateLimit,
      evaluationWindowSeconds: edge.waf.evaluationWindowSeconds,
      maxBodyBytes: edge.waf.maxBodyBytes,
      allowedCountries: edge.waf.allowedCountries,
      logsKey: this.logsKey,
      logRetentionInDays: edge.logRetentionInDays,
    });
    new InferenceAlarms(this, "EdgeAlarms", {
      apiName: edgeName,
      stageName: this.api.stageName,
      webAclName: this.webAcl.name,
      topicArn: topicArn(this, baselineNames(env).alertTopic),
      thresholds: edge.alarms,
    });

    const outputs: Record<
      string,
      { value: string | readonly string[] | Readonly<Record<string, string>>; description: string }
    > = {
      logs_key_arn: { value: this.logsKey.arn, description: "ARN of the KMS key for the environment's log groups" },
      vpc_id: { value: this.network.vpcId, description: "ID of the environment's VPC" },
      vpc_cidr: { value: this.network.cidr, description: "CIDR of the environment's VPC" },
      private_subnet_ids: {
        value: this.network.subnetIds.private,
        description: "Private subnets (nodes, internal load balancers), in zone order",
      },
      isolated_subnet_ids: {
        value: this.network.subnetIds.isolated,
        description: "Isolated subnets (interface endpoints, no route out), in zone order",
      },
      endpoint_security_group_id: {
        value: this.network.endpointSecurityGroupId,
        description: "Security group of the interface endpoints",
      },
      s3_gateway_endpoint_id: {
        value: this.network.s3GatewayEndpointId,
        description: "ID of the S3 gateway endpoint, the only path the model store admits reads from",
      },
      model_store_bucket: { value: this.modelStore.bucketName, description: "The model store's bucket" },
      model_store_name: {
        value: modelStoreName(env),
        description: "The model store's name: its keys are alias/<name> and alias/<name>-signing (ModelStoreReference)",
      },
      model_store_key_arn: { value: this.modelStore.key.arn, description: "KMS key the models are encrypted under" },
      model_signing_key_arn: {
        value: this.modelStore.signingKey.arn,
        description: `Asymmetric KMS key models are signed with (${this.modelStore.signingKey.signingAlgorithm})`,
      },
      registry_uri_prefix: {
        value: this.registry.repositoryUriPrefix,
        description: "URI prefix of the environment's container repositories",
      },
      cluster_name: {
        value: this.cluster.clusterName,
        description: "Name of the EKS cluster: the only value the workloads stack takes from this one",
      },
      cluster_arn: { value: this.cluster.clusterArn, description: "ARN of the EKS cluster" },
      api_invoke_url: {
        value: this.api.invokeUrl,
        description: "Where callers invoke the models: <url>/v1/models/<name>/invoke",
      },
      api_id: { value: this.api.apiId, description: "ID of the inference REST API" },
      api_name: { value: edgeName, description: "Name of the inference REST API (InferenceApiConsumer's apiName)" },
      usage_plan_ids: {
        value: this.api.usagePlanIds,
        description: "The usage plan of each tier, by tier: what an app team's InferenceApiConsumer joins",
      },
      load_balancer_arn: {
        value: this.loadBalancer.arn,
        description: "The internal load balancer in front of the GPU nodes",
      },
      node_security_group_id: {
        value: this.cluster.nodeSecurityGroup.id,
        description: "Security group of the cluster's nodes",
      },
    };
    for (const [name, workload] of Object.entries(this.modelRoles)) {
      outputs[`model_role_arn_${name.replaceAll("-", "_")}`] = {
        value: workload.arn,
        description: `Pod identity role of the model ${name} (${workload.namespace}/${workload.serviceAccount})`,
      };
    }
    if (this.api.tokenDomain) {
      outputs.token_endpoint = {
        value: `https://${this.api.tokenDomain.domain}.auth.${context.region}.amazoncognito.com/oauth2/token`,
        description: "Where consumers get tokens (client credentials, scope inference/invoke)",
      };
    }
    if (this.modelStore.replica) {
      outputs.model_store_replica_bucket = {
        value: this.modelStore.replica.bucketName,
        description: "The model store's replica in its second region",
      };
    }
    if (this.network.subnets.public.length > 0) {
      outputs.public_subnet_ids = {
        value: this.network.subnetIds.public,
        description: "Public subnets (NAT gateways only), in zone order",
      };
    }
    for (const [name, output] of Object.entries(outputs)) new TerraformOutput(this, name, output);
  }
}
