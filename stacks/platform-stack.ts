import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { KmsKey } from "../constructs/keys/kms-key";
import { SecureVpc } from "../constructs/network/secure-vpc";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";

/**
 * One environment's AWS footprint: keys and the network now; the model store, registry, cluster and edge join it as
 * their issues land.
 */
export class PlatformStack extends BlueprintStack {
  /** Key for every CloudWatch log group of the environment (flow logs, control-plane and access logs). */
  public readonly logsKey: KmsKey;
  /** The environment's VPC. */
  public readonly network: SecureVpc;

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

    const outputs: Record<string, { value: string | readonly string[]; description: string }> = {
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
    };
    if (this.network.subnets.public.length > 0) {
      outputs.public_subnet_ids = {
        value: this.network.subnetIds.public,
        description: "Public subnets (NAT gateways only), in zone order",
      };
    }
    for (const [name, output] of Object.entries(outputs)) new TerraformOutput(this, name, output);
  }
}
