/**
 * Real AWS clients for the Lambda entries (created once per execution environment).
 */
// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { TeardownContext } from './types';

let context: TeardownContext | undefined;

export function awsContext(): TeardownContext {
  context ??= {
    sagemaker: new SageMakerClient({}),
    ec2: new EC2Client({}),
    efs: new EFSClient({}),
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
  };
  return context;
}
