import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { InterfaceEndpointService } from '../../src/network';
import { StudioAppType, StudioAuthMode, StudioDomain, StudioLifecycleConfig } from '../../src/studio';
import { compliantTemplate, testStack } from '../harness';
import { FixedSubnetsNetwork, ManagedPolicyGrantee, studioFixture } from './fixtures';

const STUDIO_SERVICES = ['sagemaker.api', 'sagemaker.runtime', 'sts', 'logs', 'ecr.api', 'ecr.dkr'];

describe('StudioDomain', () => {
  describe('with defaults', () => {
    // GIVEN the platform's network and storage key
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    // WHEN a domain is created with nothing else
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey });

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('is VpcOnly in the network subnets, with the storage key, IAM auth and tag propagation', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        AppNetworkAccessType: 'VpcOnly',
        AuthMode: 'IAM',
        VpcId: stack.resolve(network.vpc.vpcId),
        SubnetIds: stack.resolve(network.subnetIds),
        KmsKeyId: stack.resolve(storageKey.keyArn),
        TagPropagation: 'ENABLED',
        DomainName: Match.stringLikeRegexp('^TestStack-Studio-[0-9A-F]{8}$'),
      });
    });

    test('runs work as the user profile identity, with Docker access off', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        DomainSettings: {
          ExecutionRoleIdentityConfig: 'USER_PROFILE_NAME',
          DockerSettings: { EnableDockerAccess: 'DISABLED' },
          SecurityGroupIds: [stack.resolve(domain.securityGroup.securityGroupId)],
        },
      });
    });

    test('shuts idle JupyterLab and Code Editor apps down after 60 minutes, users cannot lengthen it', () => {
      const idle = {
        AppLifecycleManagement: {
          IdleSettings: { LifecycleManagement: 'ENABLED', IdleTimeoutInMinutes: 60, MinIdleTimeoutInMinutes: 60, MaxIdleTimeoutInMinutes: 60 },
        },
      };
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        DefaultUserSettings: {
          JupyterLabAppSettings: Match.objectLike(idle),
          CodeEditorAppSettings: Match.objectLike(idle),
        },
        DefaultSpaceSettings: { JupyterLabAppSettings: Match.objectLike(idle) },
      });
    });

    test('sets default (5 GiB) and maximum (100 GiB) EBS sizes and disables notebook output sharing', () => {
      const storage = { DefaultEbsStorageSettings: { DefaultEbsVolumeSizeInGb: 5, MaximumEbsVolumeSizeInGb: 100 } };
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        DefaultUserSettings: {
          SpaceStorageSettings: storage,
          SharingSettings: { NotebookOutputOption: 'Disabled' },
        },
        DefaultSpaceSettings: { SpaceStorageSettings: storage },
      });
    });

    test('retains the domain (and its users\' work) by default', () => {
      compliantTemplate(stack).hasResource('AWS::SageMaker::Domain', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(domain.removalPolicy).toBe(RemovalPolicy.RETAIN);
    });

    test('declares the Studio interface endpoints on the network, and only those', () => {
      const template = compliantTemplate(stack);
      for (const service of STUDIO_SERVICES) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          VpcEndpointType: 'Interface',
          ServiceName: `com.amazonaws.us-east-1.${service}`,
          PrivateDnsEnabled: true,
        });
      }
      expect(network.interfaceEndpointServices.map((s) => s.name).sort()).toEqual([...STUDIO_SERVICES].sort());
    });

    test('the domain security group admits nothing and reaches only HTTPS', () => {
      const template = compliantTemplate(stack);
      const sgId = stack.resolve(domain.securityGroup.securityGroupId);
      const groups = template.findResources('AWS::EC2::SecurityGroup');
      const own = groups[sgId['Fn::GetAtt'][0]];
      expect(own.Properties.SecurityGroupIngress).toBeUndefined();
      expect(own.Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      ]);
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: sgId,
        DestinationSecurityGroupId: stack.resolve(network.endpointSecurityGroup.securityGroupId),
        FromPort: 443,
        ToPort: 443,
      });
      const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: sgId } });
      expect(Object.keys(ingress)).toHaveLength(0);
    });

    test('the endpoint security group admits HTTPS from the domain and job security groups', () => {
      const template = compliantTemplate(stack);
      for (const sg of [domain.securityGroup, domain.jobSecurityGroup]) {
        template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
          GroupId: stack.resolve(network.endpointSecurityGroup.securityGroupId),
          SourceSecurityGroupId: stack.resolve(sg.securityGroupId),
          FromPort: 443,
          ToPort: 443,
        });
      }
    });

    test('the job security group lets the nodes of a distributed job reach each other', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: stack.resolve(domain.jobSecurityGroup.securityGroupId),
        SourceSecurityGroupId: stack.resolve(domain.jobSecurityGroup.securityGroupId),
        IpProtocol: 'tcp',
        FromPort: 0,
        ToPort: 65535,
      });
    });

    test('creates a default execution role that trusts SageMaker and is allowed nothing', () => {
      const template = compliantTemplate(stack);
      const roleLogicalId = stack.resolve(domain.defaultExecutionRole.roleArn)['Fn::GetAtt'][0];
      const role = template.findResources('AWS::IAM::Role')[roleLogicalId];
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' } }),
      ]);
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
      const attached = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: roleLogicalId }] } });
      const statements = Object.values(attached).flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(statements.filter((st: { Effect: string }) => st.Effect === 'Allow')).toEqual([]);
      template.hasResourceProperties('AWS::SageMaker::Domain', {
        DefaultUserSettings: { ExecutionRole: stack.resolve(domain.defaultExecutionRole.roleArn) },
        DefaultSpaceSettings: { ExecutionRole: stack.resolve(domain.defaultExecutionRole.roleArn) },
      });
    });

    test('attaches the SDK defaults lifecycle configurations as the default of JupyterLab and Code Editor', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::SageMaker::StudioLifecycleConfig', 2);
      const [jupyter, codeEditor] = domain.sdkDefaultsLifecycleConfigs;
      expect(jupyter.appType).toBe(StudioAppType.JUPYTER_LAB);
      expect(codeEditor.appType).toBe(StudioAppType.CODE_EDITOR);
      const settings = (arn: string) => Match.objectLike({
        LifecycleConfigArns: [stack.resolve(arn)],
        DefaultResourceSpec: { LifecycleConfigArn: stack.resolve(arn) },
      });
      template.hasResourceProperties('AWS::SageMaker::Domain', {
        DefaultUserSettings: {
          JupyterLabAppSettings: settings(jupyter.lifecycleConfigArn),
          CodeEditorAppSettings: settings(codeEditor.lifecycleConfigArn),
        },
        DefaultSpaceSettings: { JupyterLabAppSettings: settings(jupyter.lifecycleConfigArn) },
      });
    });

    test('applies the domain resource-isolation policy to the default execution role', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [stack.resolve(domain.defaultExecutionRole.roleName)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'DenyResourcesOfOtherDomains',
              Effect: 'Deny',
              Condition: {
                StringNotEquals: { 'aws:ResourceTag/sagemaker:domain-arn': stack.resolve(domain.domainArn) },
                Null: { 'aws:ResourceTag/sagemaker:domain-arn': 'false' },
              },
            }),
            Match.objectLike({ Sid: 'DenyCreatingInOtherDomains', Effect: 'Deny' }),
            Match.objectLike({ Sid: 'DenyStudioResourcesOfOtherDomains', Effect: 'Deny' }),
            Match.objectLike({ Sid: 'DenyStudioAdministration', Effect: 'Deny' }),
          ]),
        },
      });
    });

    test('exposes job guardrails: the network subnets, the job security group, the job key for volumes and outputs', () => {
      expect(domain.jobGuardrails.subnets).toEqual(network.subnets);
      expect(domain.jobGuardrails.securityGroups).toEqual([domain.jobSecurityGroup]);
      expect(domain.jobGuardrails.volumeKey).toBe(dataKey);
      expect(domain.jobGuardrails.outputKey).toBe(dataKey);
      expect(domain.jobGuardrails.instanceTypes).toBeUndefined();
      expect(domain.appInstanceTypes).toBeUndefined();
    });

    test('exposes the domain ID, ARN, name, URL and home EFS ID', () => {
      const logicalId = Object.keys(compliantTemplate(stack).findResources('AWS::SageMaker::Domain'))[0];
      expect(stack.resolve(domain.domainId)).toEqual({ 'Fn::GetAtt': [logicalId, 'DomainId'] });
      expect(stack.resolve(domain.domainArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'DomainArn'] });
      expect(stack.resolve(domain.homeEfsFileSystemId)).toEqual({ 'Fn::GetAtt': [logicalId, 'HomeEfsFileSystemId'] });
      expect(stack.resolve(domain.url)).toEqual({ 'Fn::GetAtt': [logicalId, 'Url'] });
      expect(domain.domainName).toMatch(/^TestStack-Studio-[0-9A-F]{8}$/);
    });
  });

  describe('with every option', () => {
    // GIVEN the network, keys, a bucket for shared notebooks and a custom lifecycle configuration
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const bucket = s3.Bucket.fromBucketName(stack, 'Shared', 'shared-notebooks-123456789012');
    // WHEN the domain is created with every option set
    const domain = new StudioDomain(stack, 'Studio', {
      network,
      storageKey,
      jobKey: dataKey,
      domainName: 'ml-platform',
      authMode: StudioAuthMode.IAM_IDENTITY_CENTER,
      idleTimeout: Duration.hours(2),
      maxIdleTimeout: Duration.hours(8),
      defaultEbsVolumeSize: Size.gibibytes(10),
      maximumEbsVolumeSize: Size.gibibytes(50),
      notebookSharing: { bucket, prefix: 'snapshots/', encryptionKey: dataKey },
      appInstanceTypes: ['ml.t3.medium', 'ml.m5.large'],
      jobInstanceTypes: ['ml.m5.*'],
      sdkDefaults: false,
      studioUiEndpoint: true,
    });
    const custom = new StudioLifecycleConfig(stack, 'Custom', { appType: StudioAppType.JUPYTER_LAB, script: '#!/bin/bash\necho hello\n' });
    domain.addLifecycleConfig(custom);
    const grantee = new ManagedPolicyGrantee(stack, 'Reader');
    domain.grantDescribe(grantee);

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('uses the provided name and IAM Identity Center', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', { DomainName: 'ml-platform', AuthMode: 'SSO' });
    });

    test('uses the provided idle timeout and the longest timeout users may choose', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        DefaultUserSettings: {
          JupyterLabAppSettings: Match.objectLike({
            AppLifecycleManagement: {
              IdleSettings: { LifecycleManagement: 'ENABLED', IdleTimeoutInMinutes: 120, MinIdleTimeoutInMinutes: 60, MaxIdleTimeoutInMinutes: 480 },
            },
          }),
        },
      });
    });

    test('uses the provided EBS sizes', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        DefaultUserSettings: {
          SpaceStorageSettings: { DefaultEbsStorageSettings: { DefaultEbsVolumeSizeInGb: 10, MaximumEbsVolumeSizeInGb: 50 } },
        },
      });
    });

    test('allows notebook output sharing only into the provided location, encrypted with the provided key', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        DefaultUserSettings: {
          SharingSettings: {
            NotebookOutputOption: 'Allowed',
            S3OutputPath: 's3://shared-notebooks-123456789012/snapshots/',
            S3KmsKeyId: stack.resolve(dataKey.keyArn),
          },
        },
      });
    });

    test('starts new apps on the first allowed instance type and exposes the allowlist', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        DefaultUserSettings: {
          JupyterLabAppSettings: Match.objectLike({ DefaultResourceSpec: { InstanceType: 'ml.t3.medium' } }),
          CodeEditorAppSettings: Match.objectLike({ DefaultResourceSpec: { InstanceType: 'ml.t3.medium' } }),
        },
      });
      expect(domain.appInstanceTypes).toEqual(['ml.t3.medium', 'ml.m5.large']);
    });

    test('uses the provided job instance types in the guardrails', () => {
      expect(domain.jobGuardrails.instanceTypes).toEqual(['ml.m5.*']);
    });

    test('creates no SDK defaults configuration when turned off; a non-default one is only offered', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::SageMaker::StudioLifecycleConfig', 1);
      expect(domain.sdkDefaultsLifecycleConfigs).toEqual([]);
      const domainResource = Object.values(template.findResources('AWS::SageMaker::Domain'))[0];
      const jupyter = domainResource.Properties.DefaultUserSettings.JupyterLabAppSettings;
      expect(jupyter.LifecycleConfigArns).toEqual([stack.resolve(custom.lifecycleConfigArn)]);
      expect(jupyter.DefaultResourceSpec.LifecycleConfigArn).toBeUndefined();
      expect(domainResource.Properties.DefaultUserSettings.CodeEditorAppSettings.LifecycleConfigArns).toBeUndefined();
    });

    test('adds the Studio UI endpoint when asked', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'aws.sagemaker.us-east-1.studio',
        PrivateDnsEnabled: true,
      });
    });

    test('grantDescribe allows DescribeDomain on this domain only', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [stack.resolve(grantee.role.roleName)],
        PolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: 'sagemaker:DescribeDomain', Resource: stack.resolve(domain.domainArn) }],
        },
      });
    });
  });

  describe('with idle shutdown off, DESTROY and deleteHomeFileSystemOnDelete', () => {
    // GIVEN the network and keys
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    // WHEN the domain opts in to deletion of itself and of the home EFS, with one user and a shared space
    const domain = new StudioDomain(stack, 'Studio', {
      network,
      storageKey,
      jobKey: dataKey,
      idleShutdown: false,
      sdkDefaults: false,
      removalPolicy: RemovalPolicy.DESTROY,
      deleteHomeFileSystemOnDelete: true,
      customResourceLogsKey: dataKey,
    });
    const alice = domain.addUserProfile('alice');
    const team = domain.addSharedSpace('team');

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('turns idle shutdown off for both apps', () => {
      const idle = { AppLifecycleManagement: { IdleSettings: { LifecycleManagement: 'DISABLED' } } };
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        DefaultUserSettings: { JupyterLabAppSettings: idle, CodeEditorAppSettings: idle },
      });
    });

    test('deletes the domain, profiles and spaces only on the explicit opt-in', () => {
      const template = compliantTemplate(stack);
      template.hasResource('AWS::SageMaker::Domain', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
      template.allResources('AWS::SageMaker::UserProfile', { DeletionPolicy: 'Delete' });
      template.allResources('AWS::SageMaker::Space', { DeletionPolicy: 'Delete' });
    });

    test('tears apps and spaces down before the profiles, spaces and domain are deleted', () => {
      const template = compliantTemplate(stack);
      const before = stack.getLogicalId(domain.teardown!.beforeDomainDeletion.node.defaultChild as any);
      const dependsOn = template.toJSON().Resources[before].DependsOn as string[];
      expect(dependsOn).toEqual(expect.arrayContaining([
        stack.getLogicalId(alice.cfnUserProfile),
        stack.getLogicalId(alice.privateSpace!.node.defaultChild as any),
        stack.getLogicalId(team.node.defaultChild as any),
      ]));
      template.hasResourceProperties('Custom::SageMakerPlatformDomainTeardown', {
        Phase: 'BeforeDomainDeletion',
        DomainId: stack.resolve(domain.domainId),
      });
    });

    test('deletes the home EFS after the domain because deleteHomeFileSystemOnDelete is set', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('Custom::SageMakerPlatformDomainTeardown', {
        Phase: 'AfterDomainDeletion',
        DeleteHomeFileSystem: true,
      });
      const after = stack.getLogicalId(domain.teardown!.afterDomainDeletion.node.defaultChild as any);
      template.hasResource('AWS::SageMaker::Domain', { DependsOn: Match.arrayWith([after]) });
    });
  });

  describe('with DESTROY only', () => {
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey, removalPolicy: RemovalPolicy.DESTROY, sdkDefaults: false });

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('keeps the home EFS by default', () => {
      compliantTemplate(stack).hasResourceProperties('Custom::SageMakerPlatformDomainTeardown', {
        Phase: 'AfterDomainDeletion',
        DeleteHomeFileSystem: false,
      });
      expect(domain.teardown).toBeDefined();
    });
  });

  describe('with SageMaker Projects', () => {
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey, enableProjects: true, sdkDefaults: false });
    const alice = domain.addUserProfile('alice', { privateSpace: false });

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('associates the default role and every user role with the Projects portfolio', () => {
      compliantTemplate(stack).hasResourceProperties('Custom::SageMakerPlatformProjectsEnabler', {
        PrincipalArns: [stack.resolve(domain.defaultExecutionRole.roleArn), stack.resolve(alice.role.roleArn)],
      });
      expect(domain.projects).toBeDefined();
    });

    test('declares the Service Catalog endpoint', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.us-east-1.servicecatalog' });
    });

    test('has no teardown while the domain is retained', () => {
      expect(domain.teardown).toBeUndefined();
      compliantTemplate(stack).resourceCountIs('Custom::SageMakerPlatformDomainTeardown', 0);
    });
  });

  describe('imported', () => {
    const stack = testStack();
    const network = new FixedSubnetsNetwork(stack, 'Network', ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
    const storageKey = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef1');
    const domain = StudioDomain.fromDomainAttributes(stack, 'Imported', {
      domainId: 'd-abcdefghijkl',
      domainName: 'existing',
      network,
      storageKey,
      homeEfsFileSystemId: 'fs-0123456789abcdef0',
      securityGroup,
      jobGuardrails: { subnets: network.subnets, securityGroups: [securityGroup], volumeKey: storageKey, outputKey: storageKey },
    });

    test('builds the ARN from the domain ID', () => {
      expect(stack.resolve(domain.domainArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:domain/d-abcdefghijkl']],
      });
      expect(domain.domainName).toBe('existing');
      expect(domain.homeEfsFileSystemId).toBe('fs-0123456789abcdef0');
      expect(domain.appInstanceTypes).toBeUndefined();
    });
  });

  describe('on a network that is not a PlatformNetwork', () => {
    const stack = testStack();
    const network = new FixedSubnetsNetwork(stack, 'Network', ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
    const storageKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: storageKey, sdkDefaults: false });

    test('declares its endpoints and admits its security groups through the interface', () => {
      expect(network.declared).toEqual(expect.arrayContaining([
        InterfaceEndpointService.SAGEMAKER_API, InterfaceEndpointService.SAGEMAKER_RUNTIME, InterfaceEndpointService.STS,
        InterfaceEndpointService.LOGS, InterfaceEndpointService.ECR_API, InterfaceEndpointService.ECR_DKR,
      ]));
      expect(network.declared).not.toContain(InterfaceEndpointService.SAGEMAKER_STUDIO);
      expect(network.admitted).toEqual([domain.securityGroup, domain.jobSecurityGroup]);
    });
  });
});
