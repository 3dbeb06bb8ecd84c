import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { NetworkAcl, type NetworkAclEgress, type NetworkAclIngress } from "@cdktf/provider-aws/lib/network-acl";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { checkLowercaseName, ValidationError } from "../core/validation";
import type { KmsKey } from "../keys/kms-key";
import { checkLogRetention } from "../logging/encrypted-log-group";
import {
  checkAvailabilityZones,
  type EgressMode,
  planSubnets,
  type SubnetCidrs,
  type SubnetLayout,
  type SubnetTier,
} from "./subnet-layout";
import {
  checkInterfaceEndpoints,
  DEFAULT_INTERFACE_ENDPOINTS,
  GUARDDUTY_DATA_ENDPOINT,
  type InterfaceEndpointSpec,
  VpcEndpoints,
} from "./vpc-endpoints";
import { VpcFlowLog } from "./vpc-flow-log";

/**
 * Who runs GuardDuty Runtime Monitoring's security agent on the cluster, which decides who creates its
 * `guardduty-data` endpoint. `managed-by-guardduty` (the blueprint's detector turns GuardDuty's automated agent
 * configuration on): GuardDuty creates the endpoint itself in every VPC with a monitored cluster, so this VPC must
 * not, since two endpoints with private DNS for one service cannot live in one VPC. `self-managed`: the VPC creates it.
 */
export type GuardDutyAgentManagement = "managed-by-guardduty" | "self-managed";
const AGENT_MANAGEMENT: readonly GuardDutyAgentManagement[] = ["managed-by-guardduty", "self-managed"];

/** Properties of a {@link SecureVpc}. */
export interface SecureVpcProps {
  /** Prefix of every resource name, e.g. `smd-dev`: lowercase letters, digits and hyphens, 2 to 32 characters. */
  readonly name: string;
  /** The VPC's CIDR: a private (RFC 1918) IPv4 range, prefix /16 to /24. */
  readonly vpcCidr: string;
  /**
   * The availability zones every tier spreads across, by name (`eu-west-1a`): 2 to 6 distinct zones of the stack's
   * region. Named, not looked up, so that the plan never changes when AWS adds a zone or one is impaired.
   */
  readonly availabilityZones: readonly string[];
  /** How the VPC reaches the internet. Default: `none`: no route out; AWS services through VPC endpoints. */
  readonly egress?: EgressMode;
  /** Subnet CIDRs per tier. Default: derived from `vpcCidr` (see `planSubnets`). */
  readonly subnetCidrs?: SubnetCidrs;
  /** Customer-managed key that encrypts the flow-log group. */
  readonly flowLogKey: KmsKey;
  /** Days to keep flow logs: one of CloudWatch Logs' periods. Default: 365. */
  readonly flowLogRetentionInDays?: number;
  /** Who creates GuardDuty Runtime Monitoring's data endpoint. Default: `managed-by-guardduty`. */
  readonly guardDutyAgent?: GuardDutyAgentManagement;
  /** Interface endpoints beyond {@link DEFAULT_INTERFACE_ENDPOINTS} (e.g. `secretsmanager`, `xray`). Default: none. */
  readonly additionalInterfaceEndpoints?: readonly InterfaceEndpointSpec[];
}

/** Subnet IDs per tier, in zone order; `public` is empty with egress `none`. */
export interface SubnetIds {
  /** Subnets for nodes and internal load balancers. */
  readonly private: readonly string[];
  /** Subnets with no route out, for interface endpoints. */
  readonly isolated: readonly string[];
  /** Subnets for NAT gateways (none with egress `none`). */
  readonly public: readonly string[];
}

const ANYWHERE = "0.0.0.0/0";
const VPC_TRAFFIC = { action: "allow", protocol: "-1", fromPort: 0, toPort: 0 };

/**
 * Network ACL entries that admit replies from anywhere to connections made from inside: ports 1024 to 65535 (what
 * NAT gateways and Linux pick source ports from), with RDP's 3389 cut out so that no reading of the rule opens it.
 */
function repliesFromAnywhere(ruleNo: number, protocol: "tcp" | "udp"): NetworkAclIngress[] {
  return [
    { ruleNo, action: "allow", protocol, cidrBlock: ANYWHERE, fromPort: 1024, toPort: 3388 },
    { ruleNo: ruleNo + 1, action: "allow", protocol, cidrBlock: ANYWHERE, fromPort: 3390, toPort: 65535 },
  ];
}

/**
 * A VPC for serving models that nothing on the internet can reach and that reaches nothing on the internet unless
 * told to.
 *
 * - **Tiers** across 2 to 6 zones: `private` (nodes, internal load balancers), `isolated` (interface endpoints; no
 *   route out, ever) and, only with egress `nat` or `single-nat`, `public` (NAT gateways alone). No subnet assigns
 *   public IPs.
 * - **Egress** `none` by default: no internet gateway at all; AWS is reached through an S3 gateway endpoint and
 *   interface endpoints ({@link VpcEndpoints}).
 * - **Routes**: the default route table is emptied (a subnet that loses its association reaches nothing); each zone's
 *   private subnet has its own table, so `nat` keeps a zone's traffic in the zone.
 * - **Filters**: the default security group has no rules; the default network ACL has no rules; each tier has its
 *   own network ACL. The isolated tier admits HTTPS from the VPC and answers it, nothing else. The private tier
 *   talks to the VPC, and to the internet on HTTPS only for S3 (network ACLs cannot name the S3 prefix list; with
 *   egress `none`, no route leads anywhere but the gateway endpoint).
 * - **Flow logs** of all traffic to a KMS-encrypted log group ({@link VpcFlowLog}).
 */
export class SecureVpc extends Construct {
  /** The `aws_vpc`. */
  public readonly vpc: Vpc;
  /** The VPC's CIDR. */
  public readonly cidr: string;
  /** The egress mode in force. */
  public readonly egress: EgressMode;
  /** Subnet CIDRs per tier, as planned. */
  public readonly layout: SubnetLayout;
  /** Subnets per tier, in zone order. */
  public readonly subnets: Readonly<Record<SubnetTier, readonly Subnet[]>>;
  /** The VPC endpoints. */
  public readonly endpoints: VpcEndpoints;
  /** The flow log, its log group and delivery role. */
  public readonly flowLog: VpcFlowLog;
  /** The NAT gateways (none with egress `none`). */
  public readonly natGateways: readonly NatGateway[];

  constructor(scope: Construct, id: string, props: SecureVpcProps) {
    super(scope, id);
    const where = this.node.path;
    // Every check runs before the first resource is created.
    checkLowercaseName(where, "name", props.name, 32);
    checkAvailabilityZones(where, "availabilityZones", props.availabilityZones);
    const zones = props.availabilityZones;
    const zoneCount = zones.length;
    const egress = props.egress ?? "none";
    const agent = props.guardDutyAgent ?? "managed-by-guardduty";
    if (!AGENT_MANAGEMENT.includes(agent)) {
      throw new ValidationError(where, "guardDutyAgent", agent, `allowed: one of ${AGENT_MANAGEMENT.join(", ")}`);
    }
    const endpointSpecs = [
      ...DEFAULT_INTERFACE_ENDPOINTS,
      ...(agent === "self-managed" ? [GUARDDUTY_DATA_ENDPOINT] : []),
      ...(props.additionalInterfaceEndpoints ?? []),
    ];
    checkInterfaceEndpoints(where, endpointSpecs);
    this.layout = planSubnets(where, {
      vpcCidr: props.vpcCidr,
      availabilityZoneCount: zoneCount,
      egress,
      isolatedAddressesNeeded: endpointSpecs.length,
      subnetCidrs: props.subnetCidrs,
    });
    checkLogRetention(where, "flowLogRetentionInDays", props.flowLogRetentionInDays ?? 365);
    this.cidr = props.vpcCidr;
    this.egress = egress;

    this.vpc = new Vpc(this, "Vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-default-unused` },
    });
    new DefaultNetworkAcl(this, "DefaultNetworkAcl", {
      defaultNetworkAclId: this.vpc.defaultNetworkAclId,
      tags: { Name: `${props.name}-default-deny` },
    });
    new DefaultRouteTable(this, "DefaultRouteTable", {
      defaultRouteTableId: this.vpc.defaultRouteTableId,
      route: [],
      tags: { Name: `${props.name}-default-local-only` },
    });

    const subnetsOf = (tier: SubnetTier, extraTags: Record<string, string> = {}) =>
      this.layout[tier].map(
        (cidrBlock, i) =>
          new Subnet(this, `${tier}-${i}`, {
            vpcId: this.vpc.id,
            cidrBlock,
            availabilityZone: zones[i],
            mapPublicIpOnLaunch: false,
            tags: { Name: `${props.name}-${tier}-${i}`, Tier: tier, ...extraTags },
          }),
      );
    this.subnets = {
      private: subnetsOf("private", { "kubernetes.io/role/internal-elb": "1" }),
      isolated: subnetsOf("isolated"),
      public: subnetsOf("public"),
    };

    const privateTables = this.subnets.private.map((subnet, i) => {
      const table = new RouteTable(this, `private-routes-${i}`, {
        vpcId: this.vpc.id,
        tags: { Name: `${props.name}-private-${i}`, Tier: "private" },
      });
      new RouteTableAssociation(this, `private-routes-${i}-association`, {
        subnetId: subnet.id,
        routeTableId: table.id,
      });
      return table;
    });
    const isolatedTable = new RouteTable(this, "isolated-routes", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-isolated`, Tier: "isolated" },
    });
    this.subnets.isolated.forEach((subnet, i) => {
      new RouteTableAssociation(this, `isolated-routes-${i}-association`, {
        subnetId: subnet.id,
        routeTableId: isolatedTable.id,
      });
    });

    this.natGateways = egress === "none" ? [] : this.buildEgress(props.name, privateTables);

    const vpcCidr = props.vpcCidr;
    const natEgress = egress !== "none";
    this.networkAcl("private", props.name, {
      ingress: [
        { ruleNo: 100, cidrBlock: vpcCidr, ...VPC_TRAFFIC },
        // Replies from S3 through the gateway endpoint (and, with NAT, from the internet).
        ...repliesFromAnywhere(200, "tcp"),
        ...(natEgress ? repliesFromAnywhere(210, "udp") : []),
      ],
      egress: [
        { ruleNo: 100, cidrBlock: vpcCidr, ...VPC_TRAFFIC },
        natEgress
          ? { ruleNo: 200, cidrBlock: ANYWHERE, ...VPC_TRAFFIC }
          : { ruleNo: 200, action: "allow", protocol: "tcp", cidrBlock: ANYWHERE, fromPort: 443, toPort: 443 },
      ],
    });
    this.networkAcl("isolated", props.name, {
      ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", cidrBlock: vpcCidr, fromPort: 443, toPort: 443 }],
      egress: [{ ruleNo: 100, action: "allow", protocol: "tcp", cidrBlock: vpcCidr, fromPort: 1024, toPort: 65535 }],
    });
    if (natEgress) {
      this.networkAcl("public", props.name, {
        ingress: [
          { ruleNo: 100, cidrBlock: vpcCidr, ...VPC_TRAFFIC },
          ...repliesFromAnywhere(200, "tcp"),
          ...repliesFromAnywhere(210, "udp"),
        ],
        egress: [{ ruleNo: 100, cidrBlock: ANYWHERE, ...VPC_TRAFFIC }],
      });
    }

    this.endpoints = new VpcEndpoints(this, "Endpoints", {
      name: props.name,
      vpcId: this.vpc.id,
      vpcCidr,
      subnetIds: this.subnets.isolated.map((s) => s.id),
      routeTableIds: privateTables.map((t) => t.id),
      interfaceEndpoints: endpointSpecs,
    });
    this.flowLog = new VpcFlowLog(this, "FlowLog", {
      vpcId: this.vpc.id,
      logGroupName: `/${props.name}/vpc-flow-logs`,
      roleName: `${props.name}-vpc-flow-logs`,
      encryptionKey: props.flowLogKey,
      retentionInDays: props.flowLogRetentionInDays,
    });
  }

  /** The VPC's ID. */
  public get vpcId(): string {
    return this.vpc.id;
  }

  /** Subnet IDs per tier, in zone order. */
  public get subnetIds(): SubnetIds {
    return {
      private: this.subnets.private.map((s) => s.id),
      isolated: this.subnets.isolated.map((s) => s.id),
      public: this.subnets.public.map((s) => s.id),
    };
  }

  /** The security group of the interface endpoints: workloads need nothing from it, they are admitted by CIDR. */
  public get endpointSecurityGroupId(): string {
    return this.endpoints.securityGroup.id;
  }

  /** The S3 gateway endpoint's ID: the model store admits reads only through it (`aws:SourceVpce`). */
  public get s3GatewayEndpointId(): string {
    return this.endpoints.s3Gateway.id;
  }

  /** The prefix list of S3 behind the gateway endpoint: security groups admit HTTPS to S3 by it, not by CIDR. */
  public get s3PrefixListId(): string {
    return this.endpoints.s3Gateway.prefixListId;
  }

  /** Internet gateway, public route table, NAT gateways and the private tables' default routes. */
  private buildEgress(name: string, privateTables: readonly RouteTable[]): NatGateway[] {
    const gateway = new InternetGateway(this, "InternetGateway", { vpcId: this.vpc.id, tags: { Name: name } });
    const publicTable = new RouteTable(this, "public-routes", {
      vpcId: this.vpc.id,
      tags: { Name: `${name}-public`, Tier: "public" },
    });
    new Route(this, "public-routes-internet", {
      routeTableId: publicTable.id,
      destinationCidrBlock: ANYWHERE,
      gatewayId: gateway.id,
    });
    const nats = this.subnets.public.map((subnet, i) => {
      new RouteTableAssociation(this, `public-routes-${i}-association`, {
        subnetId: subnet.id,
        routeTableId: publicTable.id,
      });
      const address = new Eip(this, `nat-${i}-address`, { domain: "vpc", tags: { Name: `${name}-nat-${i}` } });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: address.allocationId,
        subnetId: subnet.id,
        connectivityType: "public",
        tags: { Name: `${name}-nat-${i}` },
        dependsOn: [gateway],
      });
    });
    privateTables.forEach((table, i) => {
      new Route(this, `private-routes-${i}-internet`, {
        routeTableId: table.id,
        destinationCidrBlock: ANYWHERE,
        natGatewayId: nats[Math.min(i, nats.length - 1)].id,
      });
    });
    return nats;
  }

  private networkAcl(
    tier: SubnetTier,
    name: string,
    rules: { ingress: NetworkAclIngress[]; egress: NetworkAclEgress[] },
  ): NetworkAcl {
    return new NetworkAcl(this, `${tier}-acl`, {
      vpcId: this.vpc.id,
      subnetIds: this.subnets[tier].map((s) => s.id),
      ingress: rules.ingress,
      egress: rules.egress,
      tags: { Name: `${name}-${tier}`, Tier: tier },
    });
  }
}
