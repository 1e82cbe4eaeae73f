import { ArnFormat, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { HYPERPOD_LIMITS } from '../private/hyperpod-rules';

/**
 * A SageMaker training plan: reserved accelerated capacity that an instance group runs on.
 *
 * Training plans are purchases (`CreateTrainingPlan` buys capacity), so this library only imports them.
 */
export interface ITrainingPlan extends IResource {
  /**
   * The ARN of the training plan.
   * @attribute
   */
  readonly trainingPlanArn: string;

  /**
   * The name of the training plan.
   * @attribute
   */
  readonly trainingPlanName: string;
}

/**
 * An existing SageMaker training plan, referenced by ARN. Never created here: a plan is a capacity purchase.
 *
 * @example
 * const plan = TrainingPlan.fromTrainingPlanArn(this, 'Plan',
 *   'arn:aws:sagemaker:us-east-1:123456789012:training-plan/p5-reservation');
 */
export class TrainingPlan {
  /**
   * Imports a training plan by ARN (`arn:aws:sagemaker:<region>:<account>:training-plan/<name>`).
   */
  public static fromTrainingPlanArn(scope: Construct, id: string, trainingPlanArn: string): ITrainingPlan {
    if (!Token.isUnresolved(trainingPlanArn) && !HYPERPOD_LIMITS.trainingPlanArnPattern.test(trainingPlanArn)) {
      throw new Error(`TrainingPlan.fromTrainingPlanArn: trainingPlanArn must match arn:aws:sagemaker:<region>:<account>:training-plan/<name>, got '${trainingPlanArn}'`);
    }
    const name = Stack.of(scope).splitArn(trainingPlanArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? trainingPlanArn;
    class Import extends Resource implements ITrainingPlan {
      public readonly trainingPlanArn = trainingPlanArn;
      public readonly trainingPlanName = name;
    }
    return new Import(scope, id, { environmentFromArn: trainingPlanArn });
  }

  private constructor() {}
}
