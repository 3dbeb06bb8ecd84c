/**
 * AWS services whose interface endpoints take no endpoint policy (`VpcEndpointPolicySupported` is false in
 * `aws ec2 describe-vpc-endpoint-services`): AWS rejects a policy on them, and their endpoints admit what IAM
 * admits. The VPC construct attaches no policy to these and the guardrails do not ask for one; every other endpoint
 * must carry a policy. Check a service with:
 *   aws ec2 describe-vpc-endpoint-services --service-names com.amazonaws.<region>.<service> \
 *     --query 'ServiceDetails[].VpcEndpointPolicySupported'
 */
export const SERVICES_WITHOUT_ENDPOINT_POLICY: readonly string[] = ["ec2messages", "eks-auth", "ssmmessages"];

/** The short service name (`ecr.api`) of an endpoint service name (`com.amazonaws.eu-west-1.ecr.api`). */
export function endpointServiceOf(serviceName: string): string {
  const match = /^(?:cn\.)?com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(serviceName);
  return match ? match[1] : serviceName;
}
