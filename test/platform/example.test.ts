import { NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EmployeeRetentionPlatform } from '../../examples/platform';
import { SageMakerPlatformChecks } from '../../src/nag';
import { allStacks, compliantTemplate, nestedStacks, templateSize, TEST_ENV, testApp } from '../harness';

describe('EmployeeRetentionPlatform example', () => {
  // GIVEN the example app's platform
  const app = testApp();
  const platform = new EmployeeRetentionPlatform(app, 'Platform', { env: TEST_ENV });

  test('synthesizes four stacks, without a dependency cycle, and a nested stack per team', () => {
    const assembly = app.synth();
    const names = allStacks(platform).filter((s) => !NestedStack.isNestedStack(s)).map((s) => s.stackName).sort();
    expect(names).toEqual(['Platform-Data', 'Platform-Network', 'Platform-Studio', 'Platform-Workloads']);
    expect(nestedStacks(platform).map((s) => s.node.id)).toEqual(['Team-retention', 'Team-fraud']);
    const deps = (name: string) => assembly.getStackByName(name).dependencies.filter((d) => !d.id.endsWith('.assets'))
      .map((d) => (d as unknown as { stackName: string }).stackName).sort();
    expect(deps('Platform-Network')).toEqual([]);
    expect(deps('Platform-Data')).toEqual(['Platform-Network']);
    expect(deps('Platform-Workloads')).toEqual(['Platform-Data', 'Platform-Network']);
    expect(deps('Platform-Studio')).toEqual(['Platform-Data', 'Platform-Network', 'Platform-Workloads']);
  });

  test('every stack passes every rule pack and the CloudFormation validation, nested ones included', () => {
    // (the harness validates the nested team templates with their parent, Platform-Studio)
    for (const stack of allStacks(platform).filter((s) => !NestedStack.isNestedStack(s))) {
      expect(() => compliantTemplate(stack)).not.toThrow();
    }
  });

  test('passes the library\'s own SageMaker rule pack, nested stacks included', () => {
    const report = new SageMakerPlatformChecks().validateScope(platform);
    expect(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} on ${r.constructPath}`))).toEqual([]);
  });

  test('has the capabilities in their stacks: feature group in Data, pipeline and endpoint in Workloads', () => {
    Template.fromStack(platform.dataStack).resourceCountIs('AWS::SageMaker::FeatureGroup', 1);
    const workloads = Template.fromStack(platform.workloadsStack);
    workloads.resourceCountIs('AWS::SageMaker::Pipeline', 1);
    workloads.resourceCountIs('AWS::SageMaker::Endpoint', 1);
    workloads.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 1);
  });

  test('gives the retention team its grants in its own access policy', () => {
    const retention = Template.fromStack(Stack.of(platform.team('retention')!) as NestedStack);
    const policy = JSON.stringify(retention.findResources('AWS::IAM::ManagedPolicy'));
    expect(policy).toContain('sagemaker:GetRecord');
    expect(policy).toContain('sagemaker:UpdateModelPackage');
  });

  test('prints the resource count and size of each template', () => {
    // eslint-disable-next-line no-console
    console.log(allStacks(platform).map((s) => {
      const size = templateSize(s);
      return `${s.node.path.padEnd(34)} ${String(size.resources).padStart(4)} resources ${String(size.bytes).padStart(8)} bytes`;
    }).join('\n'));
    for (const s of allStacks(platform)) expect(templateSize(s).resources).toBeLessThan(500);
  });
});
