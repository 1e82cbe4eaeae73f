// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { onEvent, StarterEvent, StarterResult } from './handler';

const sagemaker = new SageMakerClient({});

export async function handler(event: StarterEvent): Promise<StarterResult> {
  return onEvent(event, {
    sagemaker,
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
  });
}
