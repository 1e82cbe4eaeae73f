import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GpuTrainingCluster, HyperPodInstanceType, PlatformNetwork } from '../src';

/**
 * A SageMaker HyperPod cluster with Slurm: an ml.m5.xlarge controller and two ml.p5.48xlarge GPU workers
 * sharing an FSx for Lustre file system, in a VPC-only network.
 *
 * Its own stack, so it is deployed only on purpose: two p5 instances run for as long as the stack exists,
 * and they need a SageMaker "cluster usage" quota for ml.p5.48xlarge.
 */
export class GpuTrainingClusterStack extends Stack {
  public readonly cluster: GpuTrainingCluster;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const network = new PlatformNetwork(this, 'Network');
    this.cluster = new GpuTrainingCluster(this, 'Training', {
      network,
      controller: { instanceType: HyperPodInstanceType.ML_M5_XLARGE },
      workerGroups: [{
        name: 'gpu',
        instanceType: HyperPodInstanceType.ML_P5_48XLARGE,
        instanceCount: 2,
        ebsVolumeSizeGiB: 500,
      }],
      sharedFileSystem: { storageCapacityGiB: 1200, perUnitStorageThroughput: 250 },
      users: [{ name: 'mlengineer', uid: 2001 }],
    });
  }
}
