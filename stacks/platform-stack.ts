import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { KmsKey } from "../constructs/keys/kms-key";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";

/**
 * One environment's AWS footprint: keys now; the VPC, model store, registry, cluster and edge join it as their
 * issues land.
 */
export class PlatformStack extends BlueprintStack {
  /** Key for every CloudWatch log group of the environment (flow logs, control-plane and access logs). */
  public readonly logsKey: KmsKey;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id, props);
    const env = props.environment;
    this.logsKey = new KmsKey(this, "LogsKey", {
      alias: `${env.namePrefix}-logs`,
      description: `CloudWatch Logs encryption for the ${env.name} environment`,
      administrators: env.keyAdministratorArns,
      deletionWindowInDays: env.keyDeletionWindowInDays,
    });
    this.logsKey.grantCloudWatchLogs();
    new TerraformOutput(this, "logs_key_arn", {
      value: this.logsKey.arn,
      description: "ARN of the KMS key for the environment's CloudWatch log groups",
    });
  }
}
