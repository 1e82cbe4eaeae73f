// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CanvasSettingsContext, CanvasSettingsEvent, CanvasSettingsResult, onEvent } from './handler';

let context: CanvasSettingsContext | undefined;

export async function handler(event: CanvasSettingsEvent): Promise<CanvasSettingsResult> {
  context ??= {
    sagemaker: new SageMakerClient({}),
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
  };
  return onEvent(event, context);
}
