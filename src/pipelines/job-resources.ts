import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { JobSecurityOptions } from './job-security';
import type { CacheableStepProps, RetryableStepProps, StepProps } from './step';
import type { PipelineValue } from './values';

/**
 * Options of every step that runs a SageMaker job on instances it provisions.
 */
export interface JobStepProps extends StepProps, RetryableStepProps, CacheableStepProps, JobSecurityOptions {
  /** The role the job runs with; the pipeline passes it to SageMaker. */
  readonly role: iam.IRole;

  /** The ML instance type, for example `ml.m5.xlarge` (a literal or a String parameter). */
  readonly instanceType: PipelineValue;

  /**
   * The number of instances (an Integer literal or parameter).
   *
   * @default 1
   */
  readonly instanceCount?: PipelineValue;

  /**
   * Size of each instance's storage volume, in GB.
   *
   * @default 30
   */
  readonly volumeSizeInGb?: number;

  /**
   * The longest the job may run.
   *
   * @default - the service default (one day for processing, and for training Duration.days(1))
   */
  readonly maxRuntime?: Duration;
}
