// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ServiceCatalogClient } from '@aws-sdk/client-service-catalog';
import { onEvent, ProjectsContext, ProjectsEvent, ProjectsResult } from './handler';

let context: ProjectsContext | undefined;

export async function handler(event: ProjectsEvent): Promise<ProjectsResult> {
  context ??= {
    sagemaker: new SageMakerClient({}),
    serviceCatalog: new ServiceCatalogClient({}),
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
  };
  return onEvent(event, context);
}
