import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { PipelineParameter } from '../parameters';
import type { Step } from '../step';
import type { PipelineValue } from '../values';

/** An S3 location a value points to, known at synth: the pipeline derives IAM permissions from it. */
export interface S3LocationHint {
  readonly bucket: s3.IBucket;
  /** The key or key prefix within the bucket (no leading slash); empty for the whole bucket. */
  readonly keyPrefix: string;
}

/** What a value refers to, for dependency inference and reference checks. */
export interface ValueReferences {
  readonly steps: Step[];
  readonly parameters: PipelineParameter[];
  readonly s3Locations: S3LocationHint[];
}

/** Merges the references of several values. */
export function mergeReferences(values: (PipelineValue | undefined)[]): ValueReferences {
  const steps: Step[] = [];
  const parameters: PipelineParameter[] = [];
  const s3Locations: S3LocationHint[] = [];
  for (const v of values) {
    if (!v) continue;
    const r = v._references();
    steps.push(...r.steps);
    parameters.push(...r.parameters);
    s3Locations.push(...r.s3Locations);
  }
  return { steps, parameters, s3Locations };
}
