import { Token } from 'aws-cdk-lib';
import type { RenderContext } from './private/render';
import { CacheableStepProps, Step, StepProps, StepType } from './step';
import { PipelineValue } from './values';

/** What EMR does when the step fails. */
export enum EmrActionOnFailure {
  /** Continue with the cluster's next step. */
  CONTINUE = 'CONTINUE',
  /** Cancel the cluster's pending steps and wait. */
  CANCEL_AND_WAIT = 'CANCEL_AND_WAIT',
  /** Terminate the cluster. */
  TERMINATE_CLUSTER = 'TERMINATE_CLUSTER',
}

/** Properties of an {@link EmrStep}. */
export interface EmrStepProps extends StepProps, CacheableStepProps {
  /**
   * The ID of the running EMR cluster (`j-...`) to add the step to. The pipeline role may add, read
   * and cancel steps on exactly this cluster; the step runs with the cluster's security settings.
   */
  readonly clusterId: string;

  /** The S3 URI of the JAR to run (for Spark, `command-runner.jar`). */
  readonly jar: PipelineValue;

  /**
   * Arguments of the JAR's main function.
   *
   * @default - none
   */
  readonly args?: PipelineValue[];

  /**
   * The main class of the JAR.
   *
   * @default - the JAR's manifest
   */
  readonly mainClass?: string;

  /**
   * Java properties set when the step runs.
   *
   * @default - none
   */
  readonly properties?: { [key: string]: string };

  /**
   * What EMR does when the step fails.
   *
   * @default - the EMR default
   */
  readonly actionOnFailure?: EmrActionOnFailure;
}

/**
 * A step that runs a Hadoop JAR step on an existing Amazon EMR cluster.
 */
export class EmrStep extends Step {
  public readonly stepType: StepType = StepType.EMR;

  /** The properties the step was created with. */
  public readonly props: EmrStepProps;

  constructor(name: string, props: EmrStepProps) {
    super(name, props);
    this.props = props;
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    if (!Token.isUnresolved(p.clusterId) && !/^j-[A-Z0-9]{1,253}$/.test(p.clusterId)) {
      ctx.error(`clusterId must be an EMR cluster ID like j-1ABCDEFGHIJKL, got '${p.clusterId}'`);
    }
    ctx.requirements.emrClusters.push(p.clusterId);
    const hadoopJarStep: any = { Jar: ctx.str(p.jar, 'jar') };
    if (p.args) hadoopJarStep.Args = p.args.map((a, i) => ctx.str(a, `args[${i}]`));
    if (p.mainClass) hadoopJarStep.MainClass = p.mainClass;
    if (p.properties) hadoopJarStep.Properties = Object.entries(p.properties).map(([Key, Value]) => ({ Key, Value }));
    // no StepConfig.Name: the service names the EMR step when it runs (the SageMaker Python SDK
    // never sends one), although the published schema lists it as required
    const stepConfig: any = { HadoopJarStep: hadoopJarStep };
    if (p.actionOnFailure) stepConfig.ActionOnFailure = p.actionOnFailure;
    return { ClusterId: p.clusterId, StepConfig: stepConfig };
  }

  /** @internal */
  protected _supportsCache(): boolean {
    return true;
  }
}
