import { NagMessageLevel } from 'cdk-nag';
import { get, present, resourceRule } from './rule';

/** A Standard online store uses a customer-managed key. */
export const FeatureGroupOnlineStoreKms = resourceRule('AWS::SageMaker::FeatureGroup', {
  name: 'FeatureGroupOnlineStoreKms',
  info: 'The feature group online store does not specify a KMS key.',
  explanation: 'A Standard online store without SecurityConfig.KmsKeyId is encrypted with an AWS owned key. (An InMemory '
    + 'store cannot take a customer key and is not flagged.)',
  level: NagMessageLevel.ERROR,
}, (p) => {
  const online = p.OnlineStoreConfig;
  if (!online || online.EnableOnlineStore === false || online.StorageType === 'InMemory') return true;
  return present(get(online, 'SecurityConfig.KmsKeyId'));
});
