/** Shared builders of the pipelines tests. */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { importedFixtures } from './util';
import {
  ParameterString, Pipeline, PipelineDefinition, PipelineParameter, PipelineProps, PipelineValue, ProcessingStep, ProcessingStepProps, Step,
} from '../../src';

export const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-processing:1.0';

/** A pipeline whose job defaults are imported by literal IDs (no network construct). */
export function pipelineOf(stack: Stack, steps: Step[], parameters: PipelineParameter[] = [], props: Partial<PipelineProps> = {}, id = 'Pipeline'): Pipeline {
  const f = fixturesOf(stack);
  return new Pipeline(stack, id, {
    subnets: f.subnets,
    securityGroups: f.securityGroups,
    volumeKey: f.key,
    outputKey: f.key,
    ...props,
    definition: new PipelineDefinition({ steps, parameters }),
  });
}

const cache = new WeakMap<Construct, ReturnType<typeof importedFixtures>>();

/** The imported roles, key, subnets and security group of a stack (created once per stack). */
export function fixturesOf(stack: Stack): ReturnType<typeof importedFixtures> {
  let f = cache.get(stack);
  if (!f) {
    f = importedFixtures(stack);
    cache.set(stack, f);
  }
  return f;
}

/** A processing step with the least props. */
export function processing(name: string, role: iam.IRole, extra: Partial<ProcessingStepProps> = {}): ProcessingStep {
  return new ProcessingStep(name, {
    role,
    image: PipelineValue.fromString(IMAGE),
    instanceType: PipelineValue.fromString('ml.m5.xlarge'),
    ...extra,
  });
}

/** A String parameter. */
export function stringParam(name: string, defaultValue = 's3://ml-data-123456789012/raw/'): ParameterString {
  return new ParameterString({ name, defaultValue });
}
