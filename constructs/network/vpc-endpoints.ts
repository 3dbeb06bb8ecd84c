import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { SERVICES_WITHOUT_ENDPOINT_POLICY } from "../../policies/aws-endpoint-services";
import { AwsContext } from "../core/aws-context";
import { checkPattern, ValidationError } from "../core/validation";
import { PolicyDocument } from "../identity/policy-document";

/** One AWS service reached through an interface endpoint. */
export interface InterfaceEndpointSpec {
  /** Service short name as in `com.amazonaws.<region>.<service>`, e.g. `ecr.api`. */
  readonly service: string;
  /** Who in the footprint calls it, for the reader of the synthesized JSON and the README. */
  readonly purpose: string;
}

/**
 * The interface endpoints a private EKS cluster with GPU nodes needs when nothing reaches the internet: image
 * pulls, credentials, keys, logs, the VPC CNI, pod identity, load balancers, scaling and node management.
 */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly InterfaceEndpointSpec[] = [
  { service: "ecr.api", purpose: "registry API: auth tokens and image manifests for image pulls" },
  { service: "ecr.dkr", purpose: "registry Docker endpoint: image pulls" },
  { service: "sts", purpose: "role sessions (and IRSA web-identity tokens, if a team uses them)" },
  { service: "kms", purpose: "decrypting the model store, secrets and volumes" },
  { service: "logs", purpose: "CloudWatch Logs agents and workloads" },
  { service: "ec2", purpose: "the VPC CNI's network interfaces and node metadata" },
  { service: "eks-auth", purpose: "EKS Pod Identity credentials" },
  { service: "elasticloadbalancing", purpose: "load balancer registration from the cluster" },
  { service: "autoscaling", purpose: "the cluster autoscaler" },
  { service: "ssm", purpose: "Systems Manager: node management without SSH" },
  { service: "ssmmessages", purpose: "Session Manager channels" },
  { service: "ec2messages", purpose: "Systems Manager agent messages" },
];

/** GuardDuty Runtime Monitoring's data endpoint, for a self-managed security agent. */
export const GUARDDUTY_DATA_ENDPOINT: InterfaceEndpointSpec = {
  service: "guardduty-data",
  purpose: "GuardDuty Runtime Monitoring's security agent",
};

/** Checks a list of interface endpoints: service short names, each once, never S3 (it has the gateway endpoint). */
export function checkInterfaceEndpoints(where: string, specs: readonly InterfaceEndpointSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    checkPattern(
      where,
      "interfaceEndpoints.service",
      spec.service,
      /^[a-z0-9][a-z0-9.-]*$/,
      "a service short name such as ecr.api",
    );
    if (seen.has(spec.service) || spec.service === "s3") {
      throw new ValidationError(
        where,
        "interfaceEndpoints.service",
        spec.service,
        "allowed: each service once, and not s3 (S3 is reached through the gateway endpoint)",
      );
    }
    seen.add(spec.service);
  }
}

/** Properties of {@link VpcEndpoints}. */
export interface VpcEndpointsProps {
  /** Prefix of resource names, e.g. `smd-dev`. */
  readonly name: string;
  /** ID of the VPC. */
  readonly vpcId: string;
  /** The VPC's CIDR: the only source the endpoints' security group admits. */
  readonly vpcCidr: string;
  /** Subnets for the interface endpoints' network interfaces, one per zone (the isolated tier). */
  readonly subnetIds: readonly string[];
  /** Route tables that get the S3 gateway endpoint's route (the private tier). */
  readonly routeTableIds: readonly string[];
  /** Interface endpoints to create. Default: {@link DEFAULT_INTERFACE_ENDPOINTS}. */
  readonly interfaceEndpoints?: readonly InterfaceEndpointSpec[];
}

/** A construct ID for a service: `ecr.api` becomes `EcrApi`. */
function idFor(service: string): string {
  return service
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/**
 * The VPC's private path to AWS: an S3 gateway endpoint on the private route tables, and interface endpoints with
 * private DNS in the isolated subnets, behind a security group that admits HTTPS from the VPC and nothing else.
 *
 * Endpoint policies keep the path to this account: interface endpoints admit only principals of this account
 * (`aws:PrincipalAccount`), except the few services that take no policy (`SERVICES_WITHOUT_ENDPOINT_POLICY`);
 * the S3 endpoint admits this account's principals to this account's buckets (`s3:ResourceAccount`) and reads of the
 * regional bucket ECR serves image layers from, which ECR's pre-signed URLs reach under AWS's own identity.
 */
export class VpcEndpoints extends Construct {
  /** The endpoints' security group. */
  public readonly securityGroup: SecurityGroup;
  /** The S3 gateway endpoint. */
  public readonly s3Gateway: VpcEndpoint;
  /** The interface endpoints, by service short name. */
  public readonly interfaceEndpoints: Readonly<Record<string, VpcEndpoint>>;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const where = this.node.path;
    const specs = props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS;
    checkInterfaceEndpoints(where, specs);
    if (props.subnetIds.length === 0) {
      throw new ValidationError(where, "subnetIds", props.subnetIds, "allowed: at least one subnet per zone");
    }
    const context = AwsContext.of(this);
    const serviceName = (service: string) => `com.amazonaws.${context.region}.${service}`;

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: `${props.name}-vpc-endpoints`,
      description: "Interface endpoints: HTTPS from inside the VPC only",
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-vpc-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, "HttpsFromVpc", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS from inside the VPC to the interface endpoints",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
    });

    const s3Policy = new PolicyDocument(
      `${where} S3 endpoint policy`,
      [
        {
          sid: "AccountPrincipalsToAccountBuckets",
          anyPrincipal: true,
          actions: ["*"],
          resources: ["*"],
          wildcardResourceReason:
            "an endpoint policy filters; s3:ResourceAccount keeps it to this account's buckets, which no ARN pattern can",
          conditions: {
            StringEquals: { "aws:PrincipalAccount": context.accountId, "s3:ResourceAccount": context.accountId },
          },
        },
        {
          sid: "EcrImageLayers",
          anyPrincipal: true,
          actions: ["s3:GetObject"],
          resources: [`arn:${context.partition}:s3:::prod-${context.region}-starport-layer-bucket/*`],
        },
      ],
      { endpointPolicy: true },
    );
    this.s3Gateway = new VpcEndpoint(this, "S3", {
      vpcId: props.vpcId,
      serviceName: serviceName("s3"),
      vpcEndpointType: "Gateway",
      routeTableIds: [...props.routeTableIds],
      policy: s3Policy.toJson(),
      tags: { Name: `${props.name}-s3` },
    });

    const accountOnly = (service: string) => {
      const policy = new PolicyDocument(
        `${where} ${service} endpoint policy`,
        [
          {
            sid: "AccountPrincipalsOnly",
            anyPrincipal: true,
            actions: ["*"],
            resources: ["*"],
            wildcardResourceReason: "an endpoint policy filters; aws:PrincipalAccount keeps it to this account",
            conditions: { StringEquals: { "aws:PrincipalAccount": context.accountId } },
          },
        ],
        { endpointPolicy: true },
      );
      if (service === "sts") {
        // A web-identity call (IRSA) is unsigned, so it has no principal account: admit it into this account's
        // roles only, whose trust policies decide who gets in.
        policy.addStatement({
          sid: "WebIdentityIntoAccountRoles",
          anyPrincipal: true,
          actions: ["sts:AssumeRoleWithWebIdentity"],
          resources: [context.iamArn("role/*")],
        });
      }
      return policy.toJson();
    };
    const interfaceEndpoints: Record<string, VpcEndpoint> = {};
    for (const spec of specs) {
      interfaceEndpoints[spec.service] = new VpcEndpoint(this, idFor(spec.service), {
        vpcId: props.vpcId,
        serviceName: serviceName(spec.service),
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [this.securityGroup.id],
        policy: SERVICES_WITHOUT_ENDPOINT_POLICY.includes(spec.service) ? undefined : accountOnly(spec.service),
        tags: { Name: `${props.name}-${spec.service}` },
      });
    }
    this.interfaceEndpoints = interfaceEndpoints;
  }
}
