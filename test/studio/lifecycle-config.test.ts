import { CfnParameter } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { StudioAppType, StudioDomain, StudioLifecycleConfig } from '../../src/studio';
import { compliantTemplate, testStack } from '../harness';
import { FixedSubnetsNetwork, joinText, studioFixture } from './fixtures';

const SCRIPT = '#!/bin/bash\nset -eu\necho "platform"\n';

/** The JSON document the SDK defaults script writes, with tokens as `<TOKEN>`. */
function sdkConfigOf(resolvedContent: unknown): Record<string, any> {
  const script = joinText((resolvedContent as { 'Fn::Base64': unknown })['Fn::Base64']);
  const match = /<<'SAGEMAKER_CONFIG'\n([\s\S]*?)\nSAGEMAKER_CONFIG\n/.exec(script);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]);
}

describe('StudioLifecycleConfig', () => {
  describe('with a literal script', () => {
    // GIVEN a stack
    const stack = testStack();
    // WHEN two configurations differ only in their script, and a third repeats the first
    const first = new StudioLifecycleConfig(stack, 'First', { appType: StudioAppType.JUPYTER_LAB, script: SCRIPT });
    const changed = new StudioLifecycleConfig(stack, 'Changed', { appType: StudioAppType.JUPYTER_LAB, script: `${SCRIPT}echo more\n` });
    const same = new StudioLifecycleConfig(stack, 'Same', { appType: StudioAppType.JUPYTER_LAB, script: SCRIPT, namePrefix: 'team-a' });
    const editor = new StudioLifecycleConfig(stack, 'Editor', { appType: StudioAppType.CODE_EDITOR, script: SCRIPT });

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('base64-encodes the script', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::StudioLifecycleConfig', {
        StudioLifecycleConfigName: first.lifecycleConfigName,
        StudioLifecycleConfigAppType: 'JupyterLab',
        StudioLifecycleConfigContent: Buffer.from(SCRIPT, 'utf-8').toString('base64'),
      });
    });

    test('names the configuration after a hash of its content, so a change creates a new one', () => {
      expect(first.lifecycleConfigName).toMatch(/^lcc-[0-9a-f]{10}$/);
      expect(changed.lifecycleConfigName).not.toBe(first.lifecycleConfigName);
      expect(same.lifecycleConfigName).toBe(`team-a-${first.lifecycleConfigName.slice(4)}`);
      expect(editor.lifecycleConfigName).not.toBe(first.lifecycleConfigName);
      expect(editor.appType).toBe(StudioAppType.CODE_EDITOR);
    });

    test('exposes the ARN attribute', () => {
      const logicalId = stack.getLogicalId(first.node.defaultChild as any);
      expect(stack.resolve(first.lifecycleConfigArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'StudioLifecycleConfigArn'] });
    });

    test('the name is stable across synths of the same app', () => {
      const other = testStack();
      const again = new StudioLifecycleConfig(other, 'First', { appType: StudioAppType.JUPYTER_LAB, script: SCRIPT });
      expect(again.lifecycleConfigName).toBe(first.lifecycleConfigName);
    });
  });

  describe('imported', () => {
    const stack = testStack();
    const lcc = StudioLifecycleConfig.fromLifecycleConfigName(stack, 'Imported', 'existing-lcc', StudioAppType.CODE_EDITOR);

    test('builds the ARN from the name', () => {
      expect(stack.resolve(lcc.lifecycleConfigArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:studio-lifecycle-config/existing-lcc']],
      });
      expect(lcc.appType).toBe(StudioAppType.CODE_EDITOR);
    });
  });

  describe('sdkDefaults', () => {
    // GIVEN a domain on the platform network with a job key apart from the storage key
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey });
    const [jupyter] = domain.sdkDefaultsLifecycleConfigs;

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('renders tokens with Fn::Join inside Fn::Base64', () => {
      const resource = Object.values(compliantTemplate(stack).findResources('AWS::SageMaker::StudioLifecycleConfig', {
        Properties: { StudioLifecycleConfigAppType: 'JupyterLab' },
      }))[0];
      const content = resource.Properties.StudioLifecycleConfigContent;
      expect(Object.keys(content)).toEqual(['Fn::Base64']);
      const parts = content['Fn::Base64']['Fn::Join'][1] as unknown[];
      expect(parts).toContainEqual(stack.resolve(network.subnets[0].subnetId));
      expect(parts).toContainEqual(stack.resolve(network.subnets[1].subnetId));
      expect(parts).toContainEqual(stack.resolve(domain.jobSecurityGroup.securityGroupId));
      expect(parts).toContainEqual(stack.resolve(dataKey.keyArn));
      expect(jupyter.lifecycleConfigName).toMatch(/^sdk-defaults-[0-9a-f]{10}$/);
    });

    test('writes the SDK administrator config file, falling back to the user config', () => {
      const resource = Object.values(compliantTemplate(stack).findResources('AWS::SageMaker::StudioLifecycleConfig'))[0];
      const script = joinText(resource.Properties.StudioLifecycleConfigContent['Fn::Base64']);
      expect(script.startsWith('#!/bin/bash\n')).toBe(true);
      expect(script).toContain('ADMIN_DIR=/etc/xdg/sagemaker');
      expect(script).toContain('USER_DIR="${HOME:-/home/sagemaker-user}/.config/sagemaker"');
      expect(script).toContain('install -m 0644 "$TMP" "$ADMIN_DIR/config.yaml"');
      expect(script).toContain('install -m 0644 "$TMP" "$USER_DIR/config.yaml"');
      // a failing lifecycle script would fail the app start
      expect(script).not.toContain('set -e');
      expect(script.trimEnd().endsWith('exit 0')).toBe(true);
    });

    test('the config carries subnets, security groups, keys and inter-container encryption for every job kind', () => {
      const resource = Object.values(compliantTemplate(stack).findResources('AWS::SageMaker::StudioLifecycleConfig'))[0];
      const config = sdkConfigOf(resource.Properties.StudioLifecycleConfigContent);
      const vpc = { Subnets: ['<TOKEN>', '<TOKEN>'], SecurityGroupIds: ['<TOKEN>'] };
      expect(config.SchemaVersion).toBe('1.0');
      expect(config.SageMaker.TrainingJob).toEqual({
        VpcConfig: vpc,
        EnableInterContainerTrafficEncryption: true,
        OutputDataConfig: { KmsKeyId: '<TOKEN>' },
        ResourceConfig: { VolumeKmsKeyId: '<TOKEN>' },
      });
      expect(config.SageMaker.ProcessingJob).toEqual({
        NetworkConfig: { VpcConfig: vpc, EnableInterContainerTrafficEncryption: true },
        ProcessingOutputConfig: { KmsKeyId: '<TOKEN>' },
        ProcessingResources: { ClusterConfig: { VolumeKmsKeyId: '<TOKEN>' } },
      });
      expect(config.SageMaker.TransformJob).toEqual({ TransformOutput: { KmsKeyId: '<TOKEN>' }, TransformResources: { VolumeKmsKeyId: '<TOKEN>' } });
      expect(config.SageMaker.AutoMLJob.AutoMLJobConfig.SecurityConfig).toEqual({
        VpcConfig: vpc, VolumeKmsKeyId: '<TOKEN>', EnableInterContainerTrafficEncryption: true,
      });
      expect(config.SageMaker.Model).toEqual({ VpcConfig: vpc });
      expect(config.SageMaker.EndpointConfig.KmsKeyId).toBe('<TOKEN>');
      expect(config.SageMaker.PythonSDK.Modules.RemoteFunction.EnableInterContainerTrafficEncryption).toBe(true);
    });

    test('uses the job key for volumes and outputs, never the Studio storage key', () => {
      const resource = Object.values(compliantTemplate(stack).findResources('AWS::SageMaker::StudioLifecycleConfig'))[0];
      const parts = resource.Properties.StudioLifecycleConfigContent['Fn::Base64']['Fn::Join'][1] as unknown[];
      const after = (label: string) => parts[parts.findIndex((p) => typeof p === 'string' && p.endsWith(label)) + 1];
      expect(after('"OutputDataConfig":{"KmsKeyId":"')).toEqual(stack.resolve(dataKey.keyArn));
      expect(after('"ResourceConfig":{"VolumeKmsKeyId":"')).toEqual(stack.resolve(dataKey.keyArn));
      expect(parts).not.toContainEqual(stack.resolve(storageKey.keyArn));
    });
  });

  describe('sdkDefaults on imported resources', () => {
    // GIVEN literal subnet, security group and key identifiers
    const stack = testStack();
    const network = new FixedSubnetsNetwork(stack, 'Network', ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    const sg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0');
    const lcc = StudioLifecycleConfig.sdkDefaults(stack, 'Defaults', {
      appType: StudioAppType.CODE_EDITOR,
      guardrails: { subnets: network.subnets, securityGroups: [sg], volumeKey: key, outputKey: key },
      namePrefix: 'platform-defaults',
    });

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('writes the literal values', () => {
      const resource = Object.values(compliantTemplate(stack).findResources('AWS::SageMaker::StudioLifecycleConfig'))[0];
      const config = sdkConfigOf(resource.Properties.StudioLifecycleConfigContent);
      expect(config.SageMaker.TrainingJob.VpcConfig).toEqual({
        Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        SecurityGroupIds: ['sg-0123456789abcdef0'],
      });
      expect(resource.Properties.StudioLifecycleConfigAppType).toBe('CodeEditor');
      expect(lcc.lifecycleConfigName).toMatch(/^platform-defaults-[0-9a-f]{10}$/);
    });
  });

  describe('bad input', () => {
    test('a script over 16,384 base64 characters names the prop and the size', () => {
      const stack = testStack();
      const script = `#!/bin/bash\n${'x'.repeat(12_300)}`;
      expect(() => new StudioLifecycleConfig(stack, 'Big', { appType: StudioAppType.JUPYTER_LAB, script }))
        .toThrow(/script must be at most 16384 characters once base64-encoded .*got 16416 \(12312 characters of script\)/);
    });

    test('a script of exactly 12,288 bytes (16,384 in base64) is accepted', () => {
      const stack = testStack();
      const script = `#!/bin/bash\n${'x'.repeat(12_288 - 12)}`;
      expect(() => new StudioLifecycleConfig(stack, 'Max', { appType: StudioAppType.JUPYTER_LAB, script })).not.toThrow();
    });

    test('counts multi-byte characters as their UTF-8 bytes', () => {
      const stack = testStack();
      const script = `#!/bin/bash\n# ${'é'.repeat(6_200)}`;
      expect(() => new StudioLifecycleConfig(stack, 'Utf8', { appType: StudioAppType.JUPYTER_LAB, script }))
        .toThrow(/script must be at most 16384 characters once base64-encoded/);
    });

    test('counts each token of a script as 128 characters', () => {
      const stack = testStack();
      const param = new CfnParameter(stack, 'Value');
      const script = `#!/bin/bash\n${'x'.repeat(12_200)}${param.valueAsString}`;
      expect(() => new StudioLifecycleConfig(stack, 'Tokens', { appType: StudioAppType.JUPYTER_LAB, script }))
        .toThrow(/got 16456, counting each token as 128 characters/);
    });

    test('an empty script and a bad name prefix are reported together', () => {
      const stack = testStack();
      expect(() => new StudioLifecycleConfig(stack, 'Bad', { appType: StudioAppType.JUPYTER_LAB, script: '  \n', namePrefix: '-bad_prefix' }))
        .toThrow(/StudioLifecycleConfig 'TestStack\/Bad' has invalid props:\n {2}- namePrefix must be .*got '-bad_prefix'\n {2}- script must not be empty/);
    });

    test('a name prefix longer than 52 characters is refused', () => {
      const stack = testStack();
      expect(() => new StudioLifecycleConfig(stack, 'Long', { appType: StudioAppType.JUPYTER_LAB, script: SCRIPT, namePrefix: 'a'.repeat(53) }))
        .toThrow(/namePrefix must be at most 52 characters, got 53/);
    });
  });
});
