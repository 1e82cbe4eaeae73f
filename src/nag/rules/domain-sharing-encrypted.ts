import { NagMessageLevel } from 'cdk-nag';
import { get, present, resourceRule } from './rule';

/** Shared notebook output is off, or encrypted with a customer key. */
export const DomainSharingEncrypted = resourceRule('AWS::SageMaker::Domain', {
  name: 'DomainSharingEncrypted',
  info: 'The SageMaker domain allows notebook sharing without a KMS key.',
  explanation: 'Shared notebook snapshots include cell output, which may hold data. When NotebookOutputOption is Allowed, '
    + 'S3KmsKeyId must name a customer-managed key.',
  level: NagMessageLevel.ERROR,
}, (p) => {
  const sharing = get(p, 'DefaultUserSettings.SharingSettings');
  if (sharing?.NotebookOutputOption !== 'Allowed') return true;
  return present(sharing.S3KmsKeyId);
});
