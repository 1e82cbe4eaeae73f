import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CloudFormationValidatePlugin, IPolicyValidationPlugin, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fsx from 'aws-cdk-lib/aws-fsx';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { InterfaceEndpointService, PlatformKeys, PlatformNetwork, ReviewReport, SecureBucket } from '../../src';
import { registeredRulePacks } from '../../src/platform/review/findings';
import { ACKNOWLEDGMENTS } from '../../src/private/acknowledgments';
import { compliantTemplate, TEST_ENV, testApp, testStack } from '../harness';

const S = InterfaceEndpointService;

/** A validation plugin that passes (or warns) without reading anything: the report only lists it. */
function fakePack(name: string, warning = false): IPolicyValidationPlugin {
  return {
    name,
    version: '1.2.3',
    ruleIds: ['R1', 'R2', 'R3'],
    validate: () => ({
      success: true,
      violations: warning ? [{
        ruleName: `${name}-W1`,
        description: 'a warning the app lets through',
        severity: 'warning',
        violatingResources: [],
      }] : [],
    }),
  };
}

/** An app outside the harness's strict context, for fixtures that are meant to be flagged. */
function plainApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'review-')) });
}

/** The section of the report that starts with `heading`, up to the next section of the same level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const level = heading.split(' ')[0];
  const next = markdown.indexOf(`\n${level} `, start + heading.length + 2);
  return markdown.substring(start, next < 0 ? undefined : next);
}

/** The table row of the section that contains every one of `parts`. */
function row(text: string, ...parts: string[]): string {
  const found = text.split('\n').find((line) => line.startsWith('|') && parts.every((p) => line.includes(p)));
  if (!found) throw new Error(`no row with ${parts.join(', ')} in:\n${text}`);
  return found;
}

describe('ReviewReport', () => {
  describe('on a compliant platform stack', () => {
    // GIVEN keys, a network with two interface endpoints, a SecureBucket and a role that may pass itself to SageMaker
    const app = testApp();
    Validations.of(app).addPlugins(fakePack('FakePack'));
    const stack = testStack(app, 'Secure');
    const keys = new PlatformKeys(stack, 'Keys', { aliasPrefix: 'review-test' });
    const network = new PlatformNetwork(stack, 'Network', { flowLogsEncryptionKey: keys.logsKey });
    network.addInterfaceEndpoints(S.SAGEMAKER_API, S.STS);
    new SecureBucket(stack, 'Data', { encryptionKey: keys.dataKey });
    const role = new iam.Role(stack, 'JobRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    new iam.ManagedPolicy(stack, 'JobPolicy', {
      roles: [role],
      statements: [new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      })],
    });

    // WHEN the app is synthesized and the report written
    const assembly = app.synth();
    const file = ReviewReport.write(app, assembly);
    const md = fs.readFileSync(file, 'utf-8');

    test('the fixture passes every rule pack', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('writes REVIEW.md in the cloud assembly beside the templates', () => {
      expect(file).toBe(path.join(assembly.directory, 'REVIEW.md'));
      expect(fs.existsSync(path.join(path.dirname(file), 'Secure.template.json'))).toBe(true);
      for (const heading of ['## 1. Inventory', '## 2. Encryption map', '## 3. Network', '## 4. Isolation model', '## 5. Findings',
        '## 6. Estimated monthly baseline cost', '## 7. Diagram']) {
        expect(md).toContain(`\n${heading}\n`);
      }
    });

    test('inventories the stack against the CloudFormation limits', () => {
      const resources = Object.keys(assembly.getStackByName('Secure').template.Resources).length;
      const inventory = section(md, '## 1. Inventory');
      expect(row(inventory, '`Secure`', 'us-east-1')).toContain(`${resources} / 500`);
      expect(row(inventory, '`AWS::S3::Bucket`')).toMatch(/\| 2 \|$/);
      expect(row(inventory, '`AWS::EC2::VPCEndpoint`')).toMatch(/\| 3 \|$/);
    });

    test('maps the data bucket to its key, with the key\'s alias', () => {
      const encryption = section(md, '## 2. Encryption map');
      expect(row(encryption, 'S3 bucket `Secure/Data`', 'objects')).toContain('`Secure/Keys/data (alias/review-test/data)`');
      expect(row(encryption, 'S3 bucket `Secure/Data`', 'objects')).toContain('✅');
      expect(row(encryption, 'CloudWatch log group `Secure/Network/FlowLogs`')).toContain('`Secure/Keys/logs (alias/review-test/logs)`');
    });

    test('flags the access-log bucket and says why it has no customer-managed key', () => {
      const encryption = section(md, '## 2. Encryption map');
      const accessLogs = row(encryption, 'S3 bucket `Secure/Data/AccessLogs`');
      expect(accessLogs).toContain('⚠️');
      expect(accessLogs).toContain('SSE-S3');
      expect(accessLogs).toContain('Amazon S3 delivers server access logs only to buckets with SSE-S3 default encryption');
    });

    test('lists every key with rotation, retention and what it encrypts', () => {
      const keysTable = section(md, '### Keys');
      expect(row(keysTable, '`Secure/Keys/data`')).toMatch(/\| yes \| Retain \|.*S3 bucket Secure\/Data/);
      expect(row(keysTable, '`Secure/Keys/studio`')).toContain('no data store in these templates');
    });

    test('states that there is no internet path, and shows the endpoints and the perimeter policy', () => {
      const text = section(md, '## 3. Network');
      expect(text).toContain('**✅ No internet path.**');
      expect(row(text, '`sagemaker.api`', 'Interface')).toContain('✅ on');
      expect(row(text, '`sts`', 'Interface')).toMatch(/\| 2 \|/);
      expect(row(text, '`s3`', 'Gateway')).toContain('s3:ResourceAccount = 123456789012');
      expect(row(text, '`Secure/Network/IsolatedSubnet1/Subnet`')).toContain('✅ private');
      expect(row(text, '`Secure/Network/Vpc`', 'ALL')).toContain('365 days');
    });

    test('shows who may assume each role and what it may pass', () => {
      const isolation = section(md, '## 4. Isolation model');
      expect(row(isolation, '`Secure/JobRole`', 'sagemaker.amazonaws.com')).toContain('| iam | 1 allow, 0 on `*` | ✅ |');
      expect(row(isolation, '| `Secure/JobRole` | `‹Secure/JobRole›`')).toContain('sagemaker.amazonaws.com');
      expect(row(isolation, 'iam:PassRole', '‹Secure/JobRole›')).toContain('StringEquals iam:PassedToService = sagemaker.amazonaws.com');
    });

    test('lists the rule packs the app registered and the outcome', () => {
      const findings = section(md, '## 5. Findings');
      expect(row(findings, '`FakePack`')).toContain('| 1.2.3 | 3 | app |');
      expect(row(findings, 'CloudFormation validation')).toContain('errors and warnings fail the synth');
      expect(findings).toContain('**✅ Every rule pack passed:**');
    });

    test('lists every acknowledgment with its construct path, finding ID and reason', () => {
      const findings = section(md, '## 5. Findings');
      expect(findings).toContain(`> ${ACKNOWLEDGMENTS.ACCESS_LOG_BUCKET_SSE_S3.reason}`);
      expect(row(findings, '`Secure/Data/AccessLogs/Resource`', 'HIPAA.Security-S3DefaultEncryptionKMS'))
        .toContain('PCI.DSS.321-S3DefaultEncryptionKMS');
      expect(findings).toContain(`> ${ACKNOWLEDGMENTS.ACCESS_LOG_BUCKET_NOT_LOGGED.reason}`);
      expect(row(findings, '`Secure/Data/AccessLogs/Resource`', 'AwsSolutions-S1')).toBeDefined();
      expect(findings).toMatch(/\(by rule pack: [^)]*AwsSolutions 1[,)]/);
    });

    test('prices the interface endpoints per AZ-hour and the keys per month, with the prices\' date', () => {
      const cost = section(md, '## 6. Estimated monthly baseline cost');
      expect(cost).toMatch(/approximate, list prices as of [A-Z][a-z]+ \d{4}, us-east-1/i);
      // 2 endpoints × 2 AZs × $0.01 × 730 h
      expect(row(cost, 'VPC interface endpoints (sagemaker.api, sts)')).toContain('| 2 endpoints, 4 endpoint-AZs | $0.01 per endpoint AZ-hour | $29.20 |');
      expect(row(cost, 'KMS customer-managed keys')).toContain('| $3.00 |');
      expect(cost).toContain('**Estimated baseline: $32.20 per month**.');
    });

    test('draws the stacks, their main resources and the key usage as a mermaid flowchart', () => {
      const diagram = section(md, '## 7. Diagram');
      expect(diagram).toContain('```mermaid\nflowchart LR');
      expect(diagram).toContain('subgraph S0["Secure"]');
      const keyNode = /(N\d+)\{\{"KMS key alias\/review-test\/data<br\/>Keys\/data"\}\}/.exec(diagram)?.[1];
      const bucketNode = /(N\d+)\[\("S3 bucket<br\/>Data"\)\]/.exec(diagram)?.[1];
      expect(keyNode).toBeDefined();
      expect(diagram).toContain(`${keyNode} -. encrypts .-> ${bucketNode}`);
      expect(diagram).toMatch(/N\d+\["2 interface endpoints<br\/>sagemaker.api, sts"\]/);
    });

    test('summarizes the verdicts at the top', () => {
      const summary = md.substring(0, md.indexOf('## 1. Inventory'));
      expect(summary).toContain('| Internet path | ✅ none |');
      expect(summary).toContain('| Data stores without a customer-managed key | ⚠️ 1 of');
      expect(summary).toContain('$32.20 per month');
    });
  });

  describe('on an app with internet paths and unencrypted stores', () => {
    // GIVEN a default VPC (public subnets, internet and NAT gateways), an open SSH rule, a public-internet
    // Studio domain, a model outside any VPC, an unencrypted topic, a broad managed policy and a pipeline
    const app = plainApp();
    Validations.of(app).addPlugins(fakePack('WarnPack', true));
    const stack = new Stack(app, 'Open', { env: TEST_ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const sg = new ec2.SecurityGroup(stack, 'Ssh', { vpc, description: 'ssh' });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'ssh from anywhere');
    const role = new iam.Role(stack, 'UserRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSageMakerFullAccess')],
    });
    const domain = new sagemaker.CfnDomain(stack, 'Domain', {
      authMode: 'IAM',
      domainName: 'open-domain',
      defaultUserSettings: { executionRole: role.roleArn },
      subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
      vpcId: vpc.vpcId,
    });
    new sagemaker.CfnUserProfile(stack, 'Alice', {
      domainId: domain.attrDomainId,
      userProfileName: 'alice',
      userSettings: { executionRole: role.roleArn, securityGroups: [sg.securityGroupId] },
    });
    new sagemaker.CfnModel(stack, 'Model', {
      executionRoleArn: role.roleArn,
      primaryContainer: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1' },
    });
    new sns.Topic(stack, 'Alarms');
    const jobKey = new kms.Key(stack, 'JobKey', { enableKeyRotation: true });
    new sagemaker.CfnPipeline(stack, 'Pipeline', {
      pipelineName: 'open-pipeline',
      roleArn: role.roleArn,
      // the L1 passes this JSON-typed property through as written: CloudFormation's casing
      pipelineDefinition: {
        PipelineDefinitionBody: stack.toJsonString({
          Version: '2020-12-01',
          Steps: [
            {
              Name: 'Train',
              Type: 'Training',
              Arguments: {
                OutputDataConfig: { S3OutputPath: 's3://bucket/out', KmsKeyId: jobKey.keyArn },
                VpcConfig: { Subnets: vpc.privateSubnets.map((s) => s.subnetId), SecurityGroupIds: [sg.securityGroupId] },
              },
            },
            { Name: 'Prepare', Type: 'Processing', Arguments: { ProcessingResources: {} } },
          ],
        }),
      },
    });

    const md = fs.readFileSync(ReviewReport.write(app), 'utf-8');

    test('lists every internet path instead of claiming there is none', () => {
      const network = section(md, '## 3. Network');
      expect(network).not.toContain('No internet path');
      expect(network).toMatch(/\*\*❌ \d+ internet paths:\*\*/);
      expect(network).toContain('AWS::EC2::InternetGateway `Open/Vpc/IGW` (Open): internet gateway');
      expect(network).toMatch(/AWS::EC2::NatGateway `Open\/Vpc\/PublicSubnet1\/NATGateway` \(Open\): public NAT gateway/);
      expect(network).toMatch(/AWS::EC2::Route `Open\/Vpc\/PublicSubnet1\/DefaultRoute` \(Open\): route 0\.0\.0\.0\/0 → Gateway ‹Open\/Vpc\/IGW›/);
      expect(network).toContain('public subnet (MapPublicIpOnLaunch)');
      expect(network).toContain('AppNetworkAccessType PublicInternetOnly (the default)');
      expect(network).toContain('AWS::SageMaker::Model `Open/Model` (Open): model containers without VpcConfig or network isolation');
      expect(network).toContain('ingress from 0.0.0.0/0 (TCP 22)');
      expect(network).toContain('pipeline step Prepare (Processing) runs without a VPC configuration or network isolation');
      expect(network).not.toContain('pipeline step Train');
      expect(row(network, '`Open/Vpc/PublicSubnet1/Subnet`')).toContain('❌ public');
      expect(md.substring(0, md.indexOf('## 1.'))).toMatch(/\| Internet path \| ❌ \d+ paths/);
    });

    test('flags a store that is not encrypted at rest', () => {
      const encryption = section(md, '## 2. Encryption map');
      expect(row(encryption, 'SNS topic `Open/Alarms`')).toContain('❌');
      expect(encryption).toContain('not encrypted at rest (SNS server-side encryption off)');
    });

    test('reads the keys of pipeline job steps from the definition', () => {
      expect(row(section(md, '## 2. Encryption map'), 'SageMaker pipeline `Open/Pipeline`', 'step Train (Training): OutputDataConfig.KmsKeyId'))
        .toContain('`Open/JobKey`');
      expect(row(section(md, '## 2. Encryption map'), 'SageMaker pipeline `Open/Pipeline`', 'step Prepare (Processing)')).toContain('⚠️');
    });

    test('flags broad AWS managed policies and shows user profiles with their role and security groups', () => {
      const isolation = section(md, '## 4. Isolation model');
      expect(row(isolation, '`Open/UserRole`', 'sagemaker.amazonaws.com')).toContain('⚠️ broad AWS managed policy AmazonSageMakerFullAccess');
      expect(row(isolation, '`alice`')).toContain('| `Open/Domain` | `Open/UserRole` | `Open/Ssh` |');
      expect(row(isolation, '`Open/Domain` (open-domain)')).toContain('| IAM | PublicInternetOnly |');
    });

    test('lists acknowledgments made by aws-cdk-lib itself', () => {
      // the Vpc construct acknowledges the CloudFormation validation's literal-AZ warning on its stack
      const findings = section(md, '## 5. Findings');
      expect(row(findings, '| `Open` |', '`W3010`')).toBeDefined();
      expect(findings).toContain('> Literal AZs in template are the result of accessing stack.availabilityZones');
    });

    test('lists the warnings of the validation report', () => {
      const findings = section(md, '## 5. Findings');
      expect(row(findings, 'WarnPack', '`WarnPack-W1`')).toContain('| warning |');
      expect(row(findings, 'CloudFormation Validate', '`W2508`', '`Open/Ssh/Resource`')).toContain('| warning |');
    });

    test('counts the NAT gateway in the baseline cost', () => {
      expect(row(section(md, '## 6. Estimated monthly baseline cost'), 'NAT gateway')).toContain('$32.85');
    });
  });

  describe('cost of endpoints, HyperPod clusters and FSx for Lustre', () => {
    // GIVEN an endpoint with an autoscaled variant and a variant of an unknown type, a HyperPod cluster and a Lustre file system
    const app = plainApp();
    const stack = new Stack(app, 'Compute', { env: TEST_ENV });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const config = new sagemaker.CfnEndpointConfig(stack, 'Config', {
      productionVariants: [
        { variantName: 'AllTraffic', modelName: 'm', instanceType: 'ml.m5.large', initialInstanceCount: 3 },
        { variantName: 'Experimental', modelName: 'm', instanceType: 'ml.x9.xlarge', initialInstanceCount: 1 },
      ],
    });
    const endpoint = new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointName: 'review-endpoint', endpointConfigName: config.attrEndpointConfigName });
    new appscaling.CfnScalableTarget(stack, 'Scaling', {
      serviceNamespace: 'sagemaker',
      resourceId: 'endpoint/review-endpoint/variant/AllTraffic',
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity: 1,
      maxCapacity: 4,
    }).addDependency(endpoint);
    new sagemaker.CfnCluster(stack, 'Cluster', {
      clusterName: 'review-cluster',
      instanceGroups: [
        {
          instanceGroupName: 'controller',
          instanceType: 'ml.m5.xlarge',
          instanceCount: 1,
          executionRole: role.roleArn,
          lifeCycleConfig: { sourceS3Uri: 's3://sagemaker-lifecycle/p/', onCreate: 'on_create.sh' },
        },
        {
          instanceGroupName: 'gpu',
          instanceType: 'ml.p5.48xlarge',
          instanceCount: 2,
          executionRole: role.roleArn,
          lifeCycleConfig: { sourceS3Uri: 's3://sagemaker-lifecycle/p/', onCreate: 'on_create.sh' },
        },
      ],
      vpcConfig: { subnets: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] },
    });
    new fsx.CfnFileSystem(stack, 'Lustre', {
      fileSystemType: 'LUSTRE',
      storageCapacity: 1200,
      subnetIds: ['subnet-0123456789abcdef0'],
      lustreConfiguration: { deploymentType: 'PERSISTENT_2', perUnitStorageThroughput: 125 },
    });
    const assembly = app.synth();
    const cost = section(new ReviewReport({ instanceHourlyPrices: { 'ml.p5.48xlarge': 50 } }).render(app, assembly), '## 6. Estimated monthly baseline cost');

    test('prices endpoint variants at their autoscaling minimum', () => {
      // 1 × $0.115 × 730 h
      expect(row(cost, 'review-endpoint', 'AllTraffic')).toContain('| 1 × ml.m5.large (autoscaling minimum) | $0.115 per instance-hour | $83.95 |');
    });

    test('says "price not in table" for unknown instance types and leaves them out of the total', () => {
      expect(row(cost, 'review-endpoint', 'Experimental')).toContain('| 1 × ml.x9.xlarge (initial instance count) | price not in table | price not in table |');
      expect(row(cost, 'instance group controller')).toContain('price not in table');
      expect(cost).toContain('plus 2 items whose price is not in the table (1 × ml.x9.xlarge (initial instance count); 1 × ml.m5.xlarge)');
    });

    test('uses the prices given to the report for HyperPod instance groups', () => {
      // 2 × $50 × 730 h
      expect(row(cost, 'instance group gpu')).toContain('| 2 × ml.p5.48xlarge | $50.00 per instance-hour (given) | $73,000.00 |');
    });

    test('prices FSx for Lustre by deployment type, throughput and capacity', () => {
      // 1,200 GB × $0.145
      expect(row(cost, 'FSx for Lustre', 'PERSISTENT_2, 125 MB/s/TiB, SSD')).toContain('| 1,200 GB | $0.145 per GB-month | $174.00 |');
      expect(cost).toContain('**Estimated baseline: $73,257.95 per month**');
    });
  });

  describe('across stacks and nested stacks', () => {
    // GIVEN a key in one stack used by a bucket in another, and a nested stack whose bucket uses its parent's key
    const app = plainApp();
    const keyStack = new Stack(app, 'KeyStack', { env: TEST_ENV });
    const sharedKey = new kms.Key(keyStack, 'SharedKey', { enableKeyRotation: true, alias: 'alias/shared' });
    const dataStack = new Stack(app, 'DataStack', { env: TEST_ENV });
    new s3.Bucket(dataStack, 'Shared', { encryptionKey: sharedKey });
    const parentKey = new kms.Key(dataStack, 'ParentKey', { enableKeyRotation: true });
    const nested = new NestedStack(dataStack, 'Team');
    new s3.Bucket(nested, 'TeamData', { encryptionKey: parentKey });
    const assembly = app.synth();
    const md = new ReviewReport({ title: 'Platform review', rulePacks: ['ExternalPack'] }).render(app, assembly);

    test('follows Fn::ImportValue to the key of the other stack', () => {
      expect(row(section(md, '## 2. Encryption map'), 'S3 bucket `DataStack/Shared`')).toContain('`KeyStack/SharedKey (alias/shared)`');
    });

    test('reads nested templates and follows their parameters to the parent\'s key', () => {
      expect(row(section(md, '## 1. Inventory'), '`DataStack/Team` (nested)')).toContain('1 / 500');
      expect(row(section(md, '## 2. Encryption map'), 'S3 bucket `DataStack/Team/TeamData`')).toContain('`DataStack/ParentKey`');
    });

    test('shows the deployment order and draws the dependency', () => {
      expect(section(md, '## 1. Inventory')).toContain('- `DataStack` after `KeyStack`');
      const diagram = section(md, '## 7. Diagram');
      const ids = Object.fromEntries([...diagram.matchAll(/subgraph (S\d+)\["([^"]+)"\]/g)].map((m) => [m[2], m[1]]));
      expect(diagram).toContain(`${ids.DataStack} ==>|depends on| ${ids.KeyStack}`);
      expect(diagram).toContain(`${ids.DataStack} ==>|nests| ${ids['DataStack/Team (nested)']}`);
    });

    test('uses the given title and lists rule packs given in the options', () => {
      expect(md.startsWith('# Platform review\n')).toBe(true);
      expect(row(section(md, '## 5. Findings'), '`ExternalPack`')).toContain('declared in the report options');
    });
  });

  test('synthesizes the app when no assembly is given, and reads path metadata when the templates carry it', () => {
    // GIVEN an app with path metadata (as the CDK CLI synthesizes) that was not synthesized yet
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'review-')), context: { 'aws:cdk:enable-path-metadata': true } });
    const stack = new Stack(app, 'Meta', { env: TEST_ENV });
    new s3.Bucket(stack, 'Plain');

    // WHEN
    const file = ReviewReport.write(app);

    // THEN
    const md = fs.readFileSync(file, 'utf-8');
    expect(row(section(md, '## 2. Encryption map'), 'S3 bucket `Meta/Plain`')).toContain('⚠️');
    expect(row(section(md, '## 5. Findings'), 'CloudFormation validation')).toContain('reported as warnings');
  });

  test('lists a registered CloudFormationValidatePlugin once, in place of the built-in validation, with what its findings do', () => {
    // GIVEN an app that registers its own instance (aws-cdk-lib then adds no built-in one)
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    Validations.of(app).addPlugins(new CloudFormationValidatePlugin());

    // WHEN
    const packs = registeredRulePacks(app, []);

    // THEN
    expect(packs).toEqual([expect.objectContaining({ name: CloudFormationValidatePlugin.PLUGIN_NAME, scope: 'app, errors fail the synth' })]);
  });
});
