import { IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IModelPackageGroup } from '../pipelines/model-package-group';

/**
 * A model package (one version of a model package group) in the SageMaker Model Registry.
 *
 * The registry's packages are created by pipelines at run time, so deployments refer to them by ARN.
 */
export interface IModelPackage extends IResource {
  /**
   * The ARN of the model package version, for example
   * `arn:aws:sagemaker:us-east-1:123456789012:model-package/employee-retention/1`.
   *
   * @attribute
   */
  readonly modelPackageArn: string;

  /**
   * The name of the model package group the version belongs to; undefined when imported by a token ARN.
   *
   * @attribute
   */
  readonly modelPackageGroupName?: string;
}

/**
 * Imports of model packages from the SageMaker Model Registry.
 *
 * @example
 * const pkg = ModelPackage.fromModelPackageArn(this, 'Package',
 *   'arn:aws:sagemaker:us-east-1:123456789012:model-package/employee-retention/1');
 */
export class ModelPackage extends Resource implements IModelPackage {
  /**
   * Imports a model package version by ARN. A literal ARN is checked here: it must name a versioned
   * package (`model-package/<group>/<version>`).
   */
  public static fromModelPackageArn(scope: Construct, id: string, modelPackageArn: string): IModelPackage {
    let groupName: string | undefined;
    if (!Token.isUnresolved(modelPackageArn)) {
      const match = VERSION_ARN.exec(modelPackageArn);
      if (!match) {
        throw new Error(`ModelPackage.fromModelPackageArn '${scope.node.path}/${id}': modelPackageArn must be the ARN of a model `
          + `package version (arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>), got '${modelPackageArn}'`);
      }
      groupName = match[1];
    }
    return new ModelPackage(scope, id, modelPackageArn, groupName);
  }

  /**
   * Imports version `version` of a model package group of the registry (for example the
   * `ModelPackageGroup` a pipeline registers into).
   */
  public static fromModelPackageGroup(scope: Construct, id: string, group: IModelPackageGroup, version: number): IModelPackage {
    if (!Token.isUnresolved(version) && (!Number.isInteger(version) || version < 1)) {
      throw new Error(`ModelPackage.fromModelPackageGroup '${scope.node.path}/${id}': version must be a positive integer, got ${version}`);
    }
    const arn = Stack.of(scope).formatArn({
      service: 'sagemaker',
      resource: 'model-package',
      resourceName: `${group.modelPackageGroupName}/${version}`,
    });
    return new ModelPackage(scope, id, arn, group.modelPackageGroupName);
  }

  public readonly modelPackageArn: string;
  public readonly modelPackageGroupName?: string;

  private constructor(scope: Construct, id: string, modelPackageArn: string, modelPackageGroupName: string | undefined) {
    super(scope, id);
    this.modelPackageArn = modelPackageArn;
    this.modelPackageGroupName = modelPackageGroupName;
  }
}

const VERSION_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})\/(\d+)$/;
