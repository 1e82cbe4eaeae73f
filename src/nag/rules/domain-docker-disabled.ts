import { NagMessageLevel } from 'cdk-nag';
import { get, resourceRule } from './rule';

/** Docker inside Studio apps stays off. */
export const DomainDockerDisabled = resourceRule('AWS::SageMaker::Domain', {
  name: 'DomainDockerDisabled',
  info: 'The SageMaker domain enables Docker access in Studio apps.',
  explanation: 'Docker access lets users build and run arbitrary images from notebooks, outside the job guardrails that '
    + 'enforce the platform subnets, keys and instance types.',
  level: NagMessageLevel.ERROR,
}, (p) => get(p, 'DomainSettings.DockerSettings.EnableDockerAccess') !== 'ENABLED');
