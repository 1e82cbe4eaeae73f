import { NagMessageLevel } from 'cdk-nag';
import { present, resourceRule } from './rule';
import { localStorageRule } from '../../private/instance-storage-rules';

/**
 * Endpoint storage volumes use a customer-managed key, except where the service forbids one: on
 * instance types with local NVMe storage (encrypted by the Nitro hardware module) and serverless.
 */
export const EndpointConfigKms = resourceRule('AWS::SageMaker::EndpointConfig', {
  name: 'EndpointConfigKms',
  info: 'The endpoint configuration does not specify a KMS key for its storage volumes.',
  explanation: 'Without KmsKeyId the ML storage volumes of the endpoint instances use an AWS managed key. The rule is '
    + 'satisfied without a key when any variant uses an instance type with local NVMe storage (the service rejects a key '
    + 'there) or when every variant is serverless.',
  level: NagMessageLevel.ERROR,
}, (p) => {
  if (present(p.KmsKeyId)) return true;
  const variants: any[] = Array.isArray(p.ProductionVariants) ? p.ProductionVariants : [];
  if (variants.length > 0 && variants.every((v) => v.ServerlessConfig)) return true;
  return variants.some((v) => typeof v.InstanceType === 'string' && localStorageRule(v.InstanceType) !== undefined);
});
