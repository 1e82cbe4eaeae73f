// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { MetadataEvent, MetadataResponse, onEvent } from './handler';

const sagemaker = new SageMakerClient({});

/** onEvent of the feature-metadata custom resource. */
export async function handler(event: MetadataEvent): Promise<MetadataResponse> {
  return onEvent(event, { sagemaker });
}
