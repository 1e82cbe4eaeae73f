import { CfnParameter, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsOwnedBucketAccess, InterfaceEndpointService, PlatformKeys, PlatformNetwork } from '../../src';
import { compliantTemplate, inspect, testApp, testStack } from '../harness';

const S = InterfaceEndpointService;

/** An existing VPC as a platform team would import it: no lookups, route tables known. */
function importedVpc(scope: ReturnType<typeof testStack>, withRouteTables = true): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(scope, 'Existing', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    publicSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2', 'subnet-0aaaaaaaaaaaaaaa3'],
    publicSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa1'],
    isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1', 'subnet-0123456789abcdef2'],
    isolatedSubnetRouteTableIds: withRouteTables
      ? ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1', 'rtb-0123456789abcdef2']
      : undefined,
  });
}

describe('PlatformNetwork', () => {
  describe('with defaults', () => {
    // GIVEN a network that creates its VPC, two constructs declaring overlapping endpoints, one workload SG
    const app = testApp();
    const stack = testStack(app);
    const network = new PlatformNetwork(stack, 'Network');
    network.addInterfaceEndpoints(S.SAGEMAKER_API, S.SAGEMAKER_RUNTIME, S.STS);
    network.addInterfaceEndpoints(S.SAGEMAKER_API, S.SAGEMAKER_STUDIO, S.STS);
    const workload = new ec2.SecurityGroup(stack, 'Workload', { vpc: network.vpc, allowAllOutbound: false, description: 'a platform workload' });
    network.allowEndpointAccessFrom(workload);
    network.allowEndpointAccessFrom(workload);

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
      expect(inspect(stack).acknowledgments).toEqual([]);
    });

    test('synthesizes without a context lookup (no AWS credentials needed)', () => {
      const assembly = app.synth();
      expect(assembly.manifest.missing ?? []).toEqual([]);
    });

    test('creates a VPC with isolated subnets in two AZs, no internet gateway and no NAT', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.hasResourceProperties('AWS::EC2::VPC', { EnableDnsHostnames: true, EnableDnsSupport: true, CidrBlock: '10.0.0.0/16' });
      template.resourceCountIs('AWS::EC2::Subnet', 2);
      template.resourceCountIs('AWS::EC2::InternetGateway', 0);
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::Route', 0);
      template.resourceCountIs('AWS::EC2::NetworkAcl', 0);
      for (const index of [0, 1]) {
        template.hasResourceProperties('AWS::EC2::Subnet', {
          MapPublicIpOnLaunch: false,
          AvailabilityZone: { 'Fn::Select': [index, { 'Fn::GetAZs': '' }] },
        });
      }
      expect(network.subnets).toHaveLength(2);
      expect(network.subnetIds).toHaveLength(2);
      expect(network.availabilityZones).toHaveLength(2);
      expect(network.createdVpc).toBe(true);
    });

    test('closes the default security group with the custom resource cdk-nag recognizes', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
      template.hasResourceProperties('Custom::VpcRestrictDefaultSG', {
        DefaultSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkVpc'), 'DefaultSecurityGroup'] },
      });
      // its function may only change the rules of that one security group
      template.hasResourceProperties('AWS::IAM::Role', {
        Policies: [{
          PolicyDocument: {
            Statement: [Match.objectLike({
              Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
              Resource: [{ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':ec2:us-east-1:123456789012:security-group/$')])] }],
            })],
          },
        }],
      });
    });

    test('logs all traffic to a KMS-encrypted log group kept for a year', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        ResourceId: { Ref: Match.stringLikeRegexp('^NetworkVpc') },
      });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkFlowLogsKey'), 'Arn'] } },
        DeletionPolicy: 'Retain',
      });
      expect(network.flowLogGroup).toBeDefined();
    });

    test('creates a flow-log key when none is given: rotated, retained, usable by CloudWatch Logs of this account only', () => {
      compliantTemplate(stack).hasResource('AWS::KMS::Key', {
        Properties: {
          EnableKeyRotation: true,
          KeyPolicy: {
            Statement: Match.arrayWith([Match.objectLike({
              Principal: { Service: 'logs.us-east-1.amazonaws.com' },
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']] },
                },
              },
            })]),
          },
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(network.flowLogsEncryptionKey).toBeDefined();
    });

    test('the flow-log role is assumable only by VPC flow logs of this account, through a managed policy', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
          })],
        },
      });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [{
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkFlowLogs'), 'Arn'] },
          }],
        },
      });
      template.resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('creates each interface endpoint once, with private DNS, in every workload AZ', () => {
      const template = compliantTemplate(stack);
      template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 4);
      for (const name of ['com.amazonaws.us-east-1.sagemaker.api', 'com.amazonaws.us-east-1.sagemaker.runtime', 'com.amazonaws.us-east-1.sts', 'aws.sagemaker.us-east-1.studio']) {
        template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { ServiceName: name }, 1);
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          ServiceName: name,
          PrivateDnsEnabled: true,
          SubnetIds: [{ Ref: Match.stringLikeRegexp('IsolatedSubnet1') }, { Ref: Match.stringLikeRegexp('IsolatedSubnet2') }],
          SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkEndpointSecurityGroup'), 'GroupId'] }],
        });
      }
      expect(network.interfaceEndpointCount).toBe(4);
      expect(network.interfaceEndpointServices.map((s) => s.key)).toEqual([
        'com.amazonaws.sagemaker.api', 'com.amazonaws.sagemaker.runtime', 'com.amazonaws.sts', 'aws.sagemaker.studio',
      ]);
      expect(network.interfaceEndpointFor(S.SAGEMAKER_API)).toBe(network.interfaceEndpoints[0]);
      expect(network.interfaceEndpointFor(S.SSM)).toBeUndefined();
    });

    test('uses stable construct IDs derived from the service name', () => {
      expect(network.node.tryFindChild('Endpoint-sagemaker.api')).toBeDefined();
      expect(network.node.tryFindChild('Endpoint-aws.sagemaker.studio')).toBeDefined();
    });

    test('the endpoint security group admits HTTPS from registered groups only and sends nothing', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('Interface VPC endpoints'),
        SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 }],
        SecurityGroupIngress: Match.absent(),
      });
      // registered twice, one rule
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkEndpointSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Workload'), 'GroupId'] },
      });
      // the workload's restricted egress gets the matching rule
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkEndpointSecurityGroup'), 'GroupId'] },
      });
      const json = JSON.stringify(template.toJSON());
      expect(json).not.toContain('0.0.0.0/0');
      expect(json).not.toContain('::/0');
    });

    test('always creates an S3 gateway endpoint on the workload route tables, with a data-perimeter policy', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
        RouteTableIds: [{ Ref: Match.stringLikeRegexp('IsolatedSubnet1RouteTable') }, { Ref: Match.stringLikeRegexp('IsolatedSubnet2RouteTable') }],
        PolicyDocument: {
          Statement: [
            {
              Sid: 'OnlyThisAccountsBuckets',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: '*',
              Condition: { StringEquals: { 's3:ResourceAccount': '123456789012' } },
            },
            {
              Sid: 'AwsOwnedEcrImageLayers',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-us-east-1-starport-layer-bucket/*']] },
            },
            Match.objectLike({ Sid: 'AwsOwnedJumpStart', Action: ['s3:GetObject', 's3:ListBucket'] }),
            {
              Sid: 'AwsOwnedCloudFormationResponses',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-custom-resource-response-useast1/*']] },
            },
          ],
        },
      });
      expect(network.s3GatewayEndpoint).toBeDefined();
    });
  });

  describe('with provided resources', () => {
    // GIVEN a caller's key, three AZs, a retention, endpoints in one AZ and DESTROY opted in
    const stack = testStack();
    const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
    const network = new PlatformNetwork(stack, 'Network', {
      maxAzs: 3,
      ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/16'),
      subnetCidrMask: 20,
      flowLogsEncryptionKey: key,
      flowLogsRetention: logs.RetentionDays.TWO_YEARS,
      removalPolicy: RemovalPolicy.DESTROY,
      endpointAzCount: 1,
      interfaceEndpoints: [S.SAGEMAKER_API, S.LOGS],
      awsOwnedBuckets: [AwsOwnedBucketAccess.ECR_IMAGE_LAYERS, AwsOwnedBucketAccess.readOnly('sagemaker-example-files-prod-us-east-1')],
    });
    network.addToS3EndpointPolicy(new iam.PolicyStatement({
      sid: 'PartnerBucket',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::partner-shared-data/*'],
    }));

    test('passes every rule pack', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('uses the provided key and lets CloudWatch Logs use it', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 731, KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } },
        DeletionPolicy: 'Delete',
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.us-east-1.amazonaws.com' } })]) },
      });
      expect(network.flowLogsEncryptionKey).toBe(key);
    });

    test('spans three AZs with the given address range and subnet size', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::EC2::Subnet', 3);
      template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
      template.hasResourceProperties('AWS::EC2::Subnet', {
        AvailabilityZone: { 'Fn::Select': [2, { 'Fn::GetAZs': '' }] },
        CidrBlock: '10.20.32.0/20',
      });
      expect(network.availabilityZones).toHaveLength(3);
    });

    test('places interface endpoints in fewer AZs than the workloads', () => {
      const template = compliantTemplate(stack);
      template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 2);
      template.allResourcesProperties('AWS::EC2::VPCEndpoint', Match.objectLike({ VpcEndpointType: Match.anyValue() }));
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'com.amazonaws.us-east-1.logs',
        SubnetIds: [{ Ref: Match.stringLikeRegexp('IsolatedSubnet1Subnet') }],
      });
      expect(network.endpointSubnets).toHaveLength(1);
      expect(network.subnets).toHaveLength(3);
    });

    test('admits the chosen AWS-owned buckets and the added statements only', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Sid: 'OnlyThisAccountsBuckets' }),
            Match.objectLike({ Sid: 'AwsOwnedEcrImageLayers' }),
            Match.objectLike({
              Sid: 'AwsOwnedReadOnlysagemakerexamplefilesprodus-east-1'.replace(/-/g, ''),
              Action: ['s3:GetObject', 's3:ListBucket'],
            }),
            Match.objectLike({ Sid: 'PartnerBucket', Resource: 'arn:aws:s3:::partner-shared-data/*' }),
          ],
        },
      });
    });
  });

  describe('with the platform logs key', () => {
    // GIVEN PlatformKeys and a network whose flow logs use its logs key
    const stack = testStack();
    const keys = new PlatformKeys(stack, 'Keys');
    new PlatformNetwork(stack, 'Network', { flowLogsEncryptionKey: keys.logsKey });

    test('passes every rule pack and creates no extra key', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::KMS::Key', 3);
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(keys.logsKey.node.defaultChild as kms.CfnKey), 'Arn'] },
      });
    });

    test('the logs key carries the CloudWatch Logs statement once', () => {
      const key = compliantTemplate(stack).toJSON().Resources[stack.getLogicalId(keys.logsKey.node.defaultChild as kms.CfnKey)];
      const logsStatements = key.Properties.KeyPolicy.Statement.filter((st: { Principal?: { Service?: string } }) => st.Principal?.Service === 'logs.us-east-1.amazonaws.com');
      expect(logsStatements).toHaveLength(1);
    });
  });

  describe('on an existing VPC', () => {
    // GIVEN a VPC imported with fromVpcAttributes (public and isolated subnets)
    const stack = testStack();
    const vpc = importedVpc(stack);
    const network = new PlatformNetwork(stack, 'Network', { vpc, endpointAzCount: 2 });
    network.addInterfaceEndpoints(S.SAGEMAKER_API);

    test('passes every rule pack', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('uses the provided VPC and its isolated subnets; creates no VPC, flow logs or key', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::EC2::VPC', 0);
      template.resourceCountIs('AWS::EC2::Subnet', 0);
      template.resourceCountIs('AWS::EC2::FlowLog', 0);
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.resourceCountIs('Custom::VpcRestrictDefaultSG', 0);
      expect(network.vpc).toBe(vpc);
      expect(network.subnetIds).toEqual(['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1', 'subnet-0123456789abcdef2']);
      expect(network.availabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
      expect(network.flowLogGroup).toBeUndefined();
      expect(network.createdVpc).toBe(false);
    });

    test('adds the S3 gateway endpoint to the workload route tables and endpoints to the first AZs', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        VpcId: 'vpc-0123456789abcdef0',
        RouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1', 'rtb-0123456789abcdef2'],
      });
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'com.amazonaws.us-east-1.sagemaker.api',
        SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      });
    });

    test('accepts an explicit selection of private subnets', () => {
      const s = testStack();
      const n = new PlatformNetwork(s, 'Network', {
        vpc: importedVpc(s),
        vpcSubnets: { subnetFilters: [ec2.SubnetFilter.byIds(['subnet-0123456789abcdef1', 'subnet-0123456789abcdef2'])] },
      });
      expect(n.subnetIds).toEqual(['subnet-0123456789abcdef1', 'subnet-0123456789abcdef2']);
    });
  });

  describe('rejects bad input with the prop and the value, all at once', () => {
    test('public subnets of an existing VPC', () => {
      const stack = testStack();
      expect(() => new PlatformNetwork(stack, 'Network', { vpc: importedVpc(stack), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
        .toThrow(/vpcSubnets must not select public subnets, got subnetType PUBLIC/);
    });

    test('public subnets picked by ID', () => {
      const stack = testStack();
      expect(() => new PlatformNetwork(stack, 'Network', {
        vpc: importedVpc(stack),
        vpcSubnets: { subnets: [ec2.Subnet.fromSubnetAttributes(stack, 'Public', { subnetId: 'subnet-0aaaaaaaaaaaaaaa1', availabilityZone: 'us-east-1a', routeTableId: 'rtb-0aaaaaaaaaaaaaaa1' })] },
      })).toThrow(/vpcSubnets must not include public subnets, got subnet-0aaaaaaaaaaaaaaa1[\s\S]*at least two subnets, got 1/);
    });

    test('fewer than two subnets, and subnets without route tables', () => {
      const stack = testStack();
      expect(() => new PlatformNetwork(stack, 'Network', {
        vpc: importedVpc(stack, false),
        vpcSubnets: { subnetFilters: [ec2.SubnetFilter.byIds(['subnet-0123456789abcdef0'])] },
      })).toThrow(/subnet subnet-0123456789abcdef0 has no routeTableId[\s\S]*vpcSubnets must select at least two subnets, got 1 \(subnet-0123456789abcdef0\)/);
    });

    test('fewer than two AZs', () => {
      const stack = testStack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'OneAz', {
        vpcId: 'vpc-0123456789abcdef0',
        availabilityZones: ['us-east-1a'],
        isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'],
      });
      expect(() => new PlatformNetwork(stack, 'Network', { vpc }))
        .toThrow(/vpcSubnets must span at least two Availability Zones, got 1 \(us-east-1a\)/);
    });

    test('props that apply only to a created VPC, given with an existing one', () => {
      const stack = testStack();
      expect(() => new PlatformNetwork(stack, 'Network', { vpc: importedVpc(stack), maxAzs: 3, flowLogsRetention: logs.RetentionDays.ONE_MONTH }))
        .toThrow(/PlatformNetwork 'TestStack\/Network' has invalid props:\n  - maxAzs applies only when PlatformNetwork creates the VPC[\s\S]*flowLogsRetention applies only/);
    });

    test('out-of-range numbers for a created VPC', () => {
      const stack = testStack();
      expect(() => new PlatformNetwork(stack, 'Network', { maxAzs: 4, subnetCidrMask: 30, vpcSubnets: {}, endpointAzCount: 0 }))
        .toThrow(/vpcSubnets applies only with vpc[\s\S]*maxAzs must be an integer between 2 and 3, got 4[\s\S]*subnetCidrMask must be an integer between 16 and 28, got 30[\s\S]*endpointAzCount must be an integer between 1 and 4, got 0/);
    });

    test('endpointAzCount beyond the workload AZs', () => {
      expect(() => new PlatformNetwork(testStack(), 'Network', { endpointAzCount: 3 }))
        .toThrow(/endpointAzCount must be an integer between 1 and 2, got 3/);
      const stack = testStack();
      expect(() => new PlatformNetwork(stack, 'Network', { vpc: importedVpc(stack), endpointAzCount: 4 }))
        .toThrow(/endpointAzCount must be an integer between 1 and 3, got 4/);
    });

    test('bad service names', () => {
      const network = new PlatformNetwork(testStack(), 'Network');
      expect(() => network.addInterfaceEndpoints(S.of('Bad Name'), S.of('ok.name', 'com.amazonaws.'))).toThrow(
        /addInterfaceEndpoints service name must be lowercase letters[\s\S]*got 'Bad Name'[\s\S]*addInterfaceEndpoints service prefix must be[\s\S]*got 'com.amazonaws.'/);
      expect(network.interfaceEndpointCount).toBe(0);
    });

    test('refuses tokens where the template is computed at synth', () => {
      const stack = testStack();
      const mask = new CfnParameter(stack, 'Mask', { type: 'Number' }).valueAsNumber;
      expect(() => new PlatformNetwork(stack, 'Network', { subnetCidrMask: mask, maxAzs: mask }))
        .toThrow(/maxAzs must be a literal number[\s\S]*subnetCidrMask must be a literal number/);
    });

    test('skips tokens of an existing VPC', () => {
      const stack = testStack();
      const id = (name: string) => Fn.importValue(`Shared-${name}`);
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'FromParameters', {
        vpcId: id('VpcId'),
        availabilityZones: [id('Az1'), id('Az2')],
        isolatedSubnetIds: [id('Subnet1'), id('Subnet2')],
        isolatedSubnetRouteTableIds: [id('Rtb1'), id('Rtb2')],
      });
      const network = new PlatformNetwork(stack, 'Network', { vpc, interfaceEndpoints: [S.STS] });
      expect(network.subnets).toHaveLength(2);
      expect(() => compliantTemplate(stack)).not.toThrow();
    });
  });
});
