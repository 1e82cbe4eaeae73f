// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GuardEvent, GuardResponse, onEvent } from './handler';

const sagemaker = new SageMakerClient({});

/** onEvent of the feature group schema guard custom resource. */
export async function handler(event: GuardEvent): Promise<GuardResponse> {
  return onEvent(event, { sagemaker });
}
