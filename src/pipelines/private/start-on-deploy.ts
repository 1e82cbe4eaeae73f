import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PipelineStarterFunction } from '../../private/handlers/pipeline-starter-function';
import { PlatformProvider } from '../../private/provider';
import type { Pipeline } from '../pipeline';

export interface StartOnDeploySpec {
  readonly parameters?: { [name: string]: string };
  readonly onUpdate?: boolean;
  readonly logKey?: kms.IKey;
  readonly definitionHash: string;
  readonly parameterNames: string[];
}

/**
 * A custom resource that starts an execution of the pipeline when the stack is deployed (and,
 * unless turned off, when a deployment changes the definition or the start options).
 */
export function addStartOnDeploy(pipeline: Pipeline, resource: CfnResource, spec: StartOnDeploySpec): void {
  const unknown = Object.keys(spec.parameters ?? {}).filter((n) => !Token.isUnresolved(n) && !spec.parameterNames.includes(n));
  if (unknown.length > 0) {
    throw new Error(`Pipeline '${pipeline.node.path}' has invalid props:\n  - startExecutionOnDeploy.parameters: ${unknown.map((n) => `'${n}'`).join(', ')} `
      + `${unknown.length === 1 ? 'is' : 'are'} not a parameter of the definition (parameters: ${spec.parameterNames.join(', ') || 'none'})`);
  }
  const provider = PlatformProvider.getOrCreate(pipeline, {
    name: 'PipelineStarter',
    onEventHandler: (s, id, o) => new PipelineStarterFunction(s, id, o),
    logKey: spec.logKey,
  });
  const onUpdate = spec.onUpdate ?? true;
  const starter = provider.createResource(pipeline, 'StartExecution', {
    properties: {
      PipelineName: resource.ref,
      PipelineParameters: Object.entries(spec.parameters ?? {}).map(([Name, Value]) => ({ Name, Value })),
      StartOnUpdate: onUpdate ? 'true' : 'false',
      // a changed definition changes this property, which makes CloudFormation send an Update
      DefinitionHash: onUpdate ? spec.definitionHash : 'unused',
    },
    statements: [new iam.PolicyStatement({
      actions: ['sagemaker:StartPipelineExecution'],
      resources: [Stack.of(pipeline).formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: resource.ref })],
    })],
  });
  // the execution runs with the pipeline role: start it once the role's policy is in place
  starter.node.addDependency(pipeline.role);
  for (const child of pipeline.node.children) {
    if (child instanceof iam.ManagedPolicy) starter.node.addDependency(child);
  }
}
