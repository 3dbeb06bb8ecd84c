import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import type { Construct } from "constructs";
import { SecurityAlerts } from "../constructs/detection/security-alerts";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import { baselineNames } from "./config";

/**
 * Account-wide singletons, one per account and region: the account-level S3 public access block and the security
 * alert topic now; threat detection, the audit trail and the alert rules join them as their issues land.
 */
export class BaselineStack extends BlueprintStack {
  /** The topic every security alert goes to. */
  public readonly alerts: SecurityAlerts;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id, props);
    const env = props.environment;
    this.alerts = new SecurityAlerts(this, "SecurityAlerts", {
      topicName: baselineNames(env).alertTopic,
      keys: {
        administrators: env.keyAdministratorArns,
        viewers: [this.planRoleArn],
        deletionWindowInDays: env.keyDeletionWindowInDays,
      },
    });
    new S3AccountPublicAccessBlock(this, "AccountPublicAccessBlock", {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }
}
