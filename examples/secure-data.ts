import { Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SecureBucket } from '../src';

/** A data bucket and an artifacts bucket sharing one key and one access-log bucket. */
export class SecureDataStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const key = new kms.Key(this, 'DataKey', {
      enableKeyRotation: true,
      description: 'Encrypts the example data and artifacts buckets',
    });
    const data = new SecureBucket(this, 'Data', { encryptionKey: key });
    new SecureBucket(this, 'Artifacts', { encryptionKey: key, serverAccessLogsBucket: data.accessLogsBucket, serverAccessLogsPrefix: 'artifacts/' });
  }
}
