import type { Construct } from "constructs";
import { InferenceApi, type InferenceApiProps } from "../../constructs/edge/inference-api";
import { InferenceLoadBalancer, type InferenceLoadBalancerProps } from "../../constructs/edge/inference-load-balancer";
import { KmsKey } from "../../constructs/keys/kms-key";
import { SecureBucket } from "../../constructs/storage/secure-bucket";

/** The edge's logs key and load-balancer log bucket. */
export function edgeLogs(scope: Construct): { key: KmsKey; bucket: SecureBucket } {
  return {
    key: new KmsKey(scope, "LogsKey", { alias: "smd-test-logs" }),
    bucket: new SecureBucket(scope, "EdgeLogs", {
      bucketName: "smd-test-edge-logs",
      receivesAccessLogs: true,
      expirationDays: 365,
    }),
  };
}

/** An internal load balancer for one model, in a test VPC. */
export function testLoadBalancer(
  scope: Construct,
  bucket: SecureBucket,
  props: Partial<InferenceLoadBalancerProps> = {},
): InferenceLoadBalancer {
  return new InferenceLoadBalancer(scope, "LoadBalancer", {
    name: "smd-test-inference",
    vpcId: "vpc-0123456789abcdef0",
    vpcCidr: "10.20.0.0/16",
    subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    nodeSecurityGroupId: "sg-0123456789abcdef0",
    autoScalingGroupNames: ["eks-gpu-nodes"],
    models: [{ name: "fraud-detection", nodePort: 30080 }],
    accessLogs: bucket,
    ...props,
  });
}

/** The inference API's props for one model behind `loadBalancer`, Cognito, two tiers. */
export function apiProps(
  loadBalancer: { arn: string; dnsName: string },
  key: KmsKey,
  props: Partial<InferenceApiProps> = {},
): InferenceApiProps {
  return {
    name: "smd-test-inference",
    loadBalancer,
    models: [{ name: "fraud-detection", port: 30080 }],
    authorization: "cognito",
    tiers: {
      standard: { rateLimit: 5, burstLimit: 10, dailyQuota: 5000 },
      partner: { rateLimit: 20, burstLimit: 40, dailyQuota: 50000 },
    },
    consumers: [{ name: "fraud-screening", tier: "standard" }],
    throttle: { rateLimit: 50, burstLimit: 100 },
    logsKey: key,
    ...props,
  };
}

/** A complete test edge: logs, load balancer, API. */
export function testApi(scope: Construct, props: Partial<InferenceApiProps> = {}): InferenceApi {
  const { key, bucket } = edgeLogs(scope);
  const lb = testLoadBalancer(scope, bucket);
  return new InferenceApi(scope, "Api", apiProps(lb, key, props));
}
