import { Match } from 'aws-cdk-lib/assertions';
import { GpuTrainingClusterStack } from '../../examples/training';
import { compliantTemplate, testApp, TEST_ENV } from '../harness';

describe('examples/training.ts', () => {
  // GIVEN the example stack, as `cdk synth` builds it
  const stack = new GpuTrainingClusterStack(testApp(), 'GpuTrainingCluster', { env: TEST_ENV });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('is a Slurm cluster with an ml.m5.xlarge controller and two GPU workers sharing FSx for Lustre', () => {
    const template = compliantTemplate(stack);
    template.hasResourceProperties('AWS::SageMaker::Cluster', {
      InstanceGroups: [
        Match.objectLike({ InstanceGroupName: 'controller', InstanceType: 'ml.m5.xlarge', InstanceCount: 1 }),
        Match.objectLike({ InstanceGroupName: 'gpu', InstanceType: 'ml.p5.48xlarge', InstanceCount: 2 }),
      ],
      Orchestrator: Match.absent(),
    });
    template.resourceCountIs('AWS::FSx::FileSystem', 1);
  });
});
