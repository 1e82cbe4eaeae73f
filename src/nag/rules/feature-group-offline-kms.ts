import { NagMessageLevel } from 'cdk-nag';
import { get, present, resourceRule } from './rule';

/** The offline store writes with a customer-managed key. */
export const FeatureGroupOfflineStoreKms = resourceRule('AWS::SageMaker::FeatureGroup', {
  name: 'FeatureGroupOfflineStoreKms',
  info: 'The feature group offline store does not specify a KMS key.',
  explanation: 'Without OfflineStoreConfig.S3StorageConfig.KmsKeyId the offline store objects are written with the '
    + 'bucket default, which may not be a customer-managed key.',
  level: NagMessageLevel.ERROR,
}, (p) => !p.OfflineStoreConfig || present(get(p, 'OfflineStoreConfig.S3StorageConfig.KmsKeyId')));
