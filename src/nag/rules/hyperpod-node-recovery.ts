import { NagMessageLevel } from 'cdk-nag';
import { resourceRule } from './rule';

/** Faulty HyperPod nodes are replaced automatically. */
export const HyperPodNodeRecovery = resourceRule('AWS::SageMaker::Cluster', {
  name: 'HyperPodNodeRecovery',
  info: 'The HyperPod cluster does not use automatic node recovery.',
  explanation: 'With NodeRecovery None a failed GPU node stays in the cluster until an operator replaces it, stalling '
    + 'long training runs that could resume from a checkpoint.',
  level: NagMessageLevel.WARN,
}, (p) => p.NodeRecovery === 'Automatic');
