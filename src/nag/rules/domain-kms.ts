import { NagMessageLevel } from 'cdk-nag';
import { present, resourceRule } from './rule';

/** The domain's home EFS and app volumes use a customer-managed key. */
export const DomainKms = resourceRule('AWS::SageMaker::Domain', {
  name: 'DomainKms',
  info: 'The SageMaker domain does not specify a KMS key.',
  explanation: 'Without KmsKeyId the home EFS and the apps\' EBS volumes are encrypted with an AWS owned key: access to '
    + 'the key cannot be restricted or audited, and the data cannot be crypto-shredded.',
  level: NagMessageLevel.ERROR,
}, (p) => present(p.KmsKeyId));
