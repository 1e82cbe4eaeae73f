import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IPipeline } from './pipeline';
import { PropsValidator } from '../private/validation';
import { ManagedPolicyRole } from './private/iam';

/** Options of a pipeline schedule. */
export interface PipelineScheduleOptions {
  /** When executions start, for example `ScheduleExpression.cron({ hour: '2', minute: '0' })`. */
  readonly schedule: scheduler.ScheduleExpression;

  /**
   * Values of pipeline parameters for the scheduled executions (at most 200).
   *
   * @default - the parameters' defaults
   */
  readonly parameters?: { [name: string]: string };

  /**
   * A description of the schedule.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Whether the schedule is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The customer-managed KMS key that encrypts the schedule (its parameters).
   *
   * @default - an AWS owned key
   */
  readonly key?: kms.IKey;

  /**
   * The queue that receives start requests EventBridge Scheduler could not deliver.
   *
   * @default - none
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * How often EventBridge Scheduler retries a failed start (0-185).
   *
   * @default 185 (the service default)
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge Scheduler keeps trying to start an execution.
   *
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;
}

/** Properties of a {@link PipelineSchedule}. */
export interface PipelineScheduleProps extends PipelineScheduleOptions {
  /** The pipeline to start. */
  readonly pipeline: IPipeline;
}

/**
 * Starts a pipeline on a schedule with EventBridge Scheduler. The schedule's role may start exactly
 * this pipeline (and, when given, decrypt with the schedule's key and send to the dead-letter queue),
 * and only EventBridge Scheduler of this account can assume it.
 *
 * @example
 * new PipelineSchedule(this, 'Nightly', { pipeline, schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }) });
 */
export class PipelineSchedule extends Construct {
  /** The schedule. */
  public readonly schedule: scheduler.ISchedule;

  /** The role EventBridge Scheduler starts the pipeline with. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: PipelineScheduleProps) {
    const v = PropsValidator.forNew('PipelineSchedule', scope, id);
    const params = Object.entries(props.parameters ?? {});
    v.check(params.length <= 200, `parameters may have at most 200 entries, got ${params.length}`);
    v.range('retryAttempts', props.retryAttempts, 0, 185);
    for (const [name, value] of params) {
      if (!Token.isUnresolved(name)) v.check(/^[A-Za-z0-9\-_]{1,256}$/.test(name), `parameters: name must be 1-256 letters, digits, hyphens or underscores, got '${name}'`);
      if (!Token.isUnresolved(value)) v.check(value.length <= 1024, `parameters: value of '${name}' must be at most 1024 characters, got ${value.length}`);
    }
    v.throwIfInvalid();
    super(scope, id);

    const account = Stack.of(this).account;
    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
      description: `EventBridge Scheduler starts SageMaker pipeline executions for ${this.node.path}`.slice(0, 1000),
    });
    this.role = role;

    const target = new targets.SageMakerStartPipelineExecution(props.pipeline, {
      role,
      pipelineParameterList: params.map(([name, value]) => ({ name, value })),
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
    });
    this.schedule = new scheduler.Schedule(this, 'Resource', {
      schedule: props.schedule,
      target,
      description: props.description,
      enabled: props.enabled ?? true,
      key: props.key,
    });
  }
}
