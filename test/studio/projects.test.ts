import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { InterfaceEndpointService, IPlatformNetwork } from '../../src/network';
import { SageMakerProjects } from '../../src/studio/projects';
import { compliantTemplate, testStack } from '../harness';

/** Records the endpoints constructs declare; creates nothing. */
class RecordingNetwork extends Construct implements IPlatformNetwork {
  public readonly vpc: ec2.IVpc;
  public readonly subnets: ec2.ISubnet[] = [];
  public readonly subnetIds: string[] = [];
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;
  public readonly declared: InterfaceEndpointService[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'] });
    this.endpointSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'EndpointSg', 'sg-0123456789abcdef0');
  }

  public addInterfaceEndpoints(...services: InterfaceEndpointService[]): void {
    this.declared.push(...services);
  }

  public allowEndpointAccessFrom(_peer: ec2.ISecurityGroup): void {}
}

describe('SageMakerProjects', () => {
  describe('with roles, a network and a logs key', () => {
    // GIVEN two execution roles, the platform network and a logs key
    const stack = testStack();
    const network = new RecordingNetwork(stack, 'Network');
    const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
    const alice = new iam.Role(stack, 'Alice', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const bob = new iam.Role(stack, 'Bob', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    // WHEN
    const projects = new SageMakerProjects(stack, 'Projects', { executionRoles: [alice], network, logKey: key });
    projects.addExecutionRole(bob);
    projects.addExecutionRole(alice);

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('associates every role once, including roles added later', () => {
      compliantTemplate(stack).hasResourceProperties('Custom::SageMakerPlatformProjectsEnabler', {
        PrincipalArns: [
          { 'Fn::GetAtt': [stack.getLogicalId(alice.node.defaultChild as iam.CfnRole), 'Arn'] },
          { 'Fn::GetAtt': [stack.getLogicalId(bob.node.defaultChild as iam.CfnRole), 'Arn'] },
        ],
      });
    });

    test('declares the Service Catalog endpoint on the network', () => {
      expect(network.declared).toEqual([InterfaceEndpointService.SERVICE_CATALOG]);
    });

    test('may only enable Projects and manage portfolio principals', () => {
      const template = compliantTemplate(stack);
      const [resourceId] = Object.keys(template.findResources('Custom::SageMakerPlatformProjectsEnabler'));
      const resource = template.toJSON().Resources[resourceId];
      const policy = template.toJSON().Resources[resource.DependsOn[0]];
      expect(policy.Type).toBe('AWS::IAM::ManagedPolicy');
      const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat());
      expect(actions.sort()).toEqual([
        'sagemaker:EnableSagemakerServicecatalogPortfolio',
        'sagemaker:GetSagemakerServicecatalogPortfolioStatus',
        'servicecatalog:AcceptPortfolioShare',
        'servicecatalog:AssociatePrincipalWithPortfolio',
        'servicecatalog:DisassociatePrincipalFromPortfolio',
        'servicecatalog:ListAcceptedPortfolioShares',
      ]);
      expect(policy.Properties.PolicyDocument.Statement[1].Resource).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':catalog:us-east-1:*:portfolio/*']],
      });
    });

    test('uses the provided logs key', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    });

    test('exposes the portfolio ID attribute', () => {
      expect(stack.resolve(projects.portfolioId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Projects/), 'PortfolioId'] });
    });
  });

  describe('with defaults', () => {
    const stack = testStack();
    new SageMakerProjects(stack, 'Projects');

    test('passes every rule pack, creates the stack logs key and declares no endpoint', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
      template.hasResourceProperties('Custom::SageMakerPlatformProjectsEnabler', { PrincipalArns: [] });
    });
  });
});
