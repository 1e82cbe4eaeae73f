import { ArnFormat, IResource, Lazy, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { PipelineValue, PipelineValueType } from './values';
import { PropsValidator } from '../private/validation';

/**
 * The approval status of a model package.
 */
export class ModelApprovalStatus {
  /** Approved for deployment. */
  public static readonly APPROVED = new ModelApprovalStatus('Approved');
  /** Rejected. */
  public static readonly REJECTED = new ModelApprovalStatus('Rejected');
  /** Waiting for a person to approve or reject it. */
  public static readonly PENDING_MANUAL_APPROVAL = new ModelApprovalStatus('PendingManualApproval');

  /** A status by name. */
  public static of(value: string): ModelApprovalStatus {
    return new ModelApprovalStatus(value);
  }

  /**
   * A status chosen when the pipeline runs (a String parameter). The pipeline role can then not be
   * limited to one status.
   */
  public static fromValue(value: PipelineValue): ModelApprovalStatus {
    return new ModelApprovalStatus(undefined, value);
  }

  /** The pipeline value of the status. */
  public readonly pipelineValue: PipelineValue;

  private constructor(
    /** The status, when it is known at synth. */
    public readonly value?: string,
    pipelineValue?: PipelineValue,
  ) {
    this.pipelineValue = pipelineValue ?? PipelineValue.fromString(value!);
    if (pipelineValue && pipelineValue.type !== PipelineValueType.STRING && pipelineValue.type !== PipelineValueType.ANY) {
      throw new Error(`ModelApprovalStatus.fromValue: expected a String value, got ${pipelineValue.describe()}`);
    }
  }
}

/**
 * A model package group of the SageMaker model registry.
 */
export interface IModelPackageGroup extends IResource {
  /**
   * The group's name.
   *
   * @attribute
   */
  readonly modelPackageGroupName: string;

  /**
   * The group's ARN.
   *
   * @attribute
   */
  readonly modelPackageGroupArn: string;

  /** The ARN pattern of the group's model package versions (`.../model-package/<group>/*`). */
  readonly modelPackageArnPattern: string;

  /** Lets `grantee` read the group and its model packages. */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /** Lets `grantee` approve or reject the group's model packages (`UpdateModelPackage`). */
  grantApprove(grantee: iam.IGrantable): iam.Grant;

  /**
   * An EventBridge rule on "SageMaker Model Package State Change" events of this group, for
   * example to deploy on approval.
   *
   * @param id the rule's construct ID (under this group)
   * @param options the target and the statuses to react to
   */
  onApprovalStatusChange(id: string, options: ApprovalHookOptions): events.Rule;
}

/** Options of {@link IModelPackageGroup.onApprovalStatusChange}. */
export interface ApprovalHookOptions {
  /** What the rule invokes. */
  readonly target: events.IRuleTarget;

  /**
   * The approval statuses that trigger the rule.
   *
   * @default - [ModelApprovalStatus.APPROVED]
   */
  readonly approvalStatuses?: ModelApprovalStatus[];

  /**
   * A description of the rule.
   *
   * @default - none
   */
  readonly description?: string;
}

/** Properties of a {@link ModelPackageGroup}. */
export interface ModelPackageGroupProps {
  /**
   * The group name (1-63 letters, digits and hyphens, starting and ending with a letter or digit).
   * Use lower case: SageMaker writes names in lower case in ARNs, which IAM compares case-sensitively.
   *
   * @default - a unique lower-case name generated from the construct path
   */
  readonly modelPackageGroupName?: string;

  /**
   * A description of the group (at most 1024 characters).
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * AWS accounts that may read the group and its model packages and create models from them (a
   * resource policy on the group). Approval stays with this account.
   *
   * @default - no cross-account access
   */
  readonly crossAccountReadAccounts?: string[];

  /**
   * What happens to the group when it leaves the stack. The registry is the audit trail of which
   * models were approved; `RemovalPolicy.DESTROY` is the explicit opt-in to delete it (SageMaker
   * deletes only an empty group).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Attributes of an existing model package group. */
export interface ModelPackageGroupAttributes {
  /** The group's name. */
  readonly modelPackageGroupName: string;
}

/** What imported and created model package groups share. */
export abstract class ModelPackageGroupBase extends Resource implements IModelPackageGroup {
  public abstract readonly modelPackageGroupName: string;
  public abstract readonly modelPackageGroupArn: string;

  public get modelPackageArnPattern(): string {
    const name = Token.isUnresolved(this.modelPackageGroupName) ? this.modelPackageGroupName : this.modelPackageGroupName.toLowerCase();
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${name}/*` });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:DescribeModelPackageGroup', 'sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'],
      resourceArns: [this.modelPackageGroupArn, this.modelPackageArnPattern],
    });
  }

  public grantApprove(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:DescribeModelPackage', 'sagemaker:UpdateModelPackage'],
      resourceArns: [this.modelPackageArnPattern],
    });
  }

  public onApprovalStatusChange(id: string, options: ApprovalHookOptions): events.Rule {
    const statuses = (options.approvalStatuses ?? [ModelApprovalStatus.APPROVED]).map((s) => {
      if (s.value === undefined) throw new Error(`${this.node.path}.onApprovalStatusChange: approvalStatuses must be known at synth, not pipeline values`);
      return s.value;
    });
    const rule = new events.Rule(this, id, {
      description: options.description,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: [this.modelPackageGroupName], ModelApprovalStatus: statuses },
      },
    });
    rule.addTarget(options.target);
    return rule;
  }
}

/**
 * A model package group of the SageMaker model registry, retained by default, with an optional
 * cross-account read policy and approval hooks.
 *
 * @example
 * const group = new ModelPackageGroup(this, 'Models', { crossAccountReadAccounts: ['210987654321'] });
 * group.onApprovalStatusChange('DeployOnApproval', { target: new targets.LambdaFunction(deployer) });
 */
export class ModelPackageGroup extends ModelPackageGroupBase {
  /** An existing group, by name. */
  public static fromModelPackageGroupName(scope: Construct, id: string, modelPackageGroupName: string): IModelPackageGroup {
    return ModelPackageGroup.fromModelPackageGroupAttributes(scope, id, { modelPackageGroupName });
  }

  /** An existing group, by ARN. */
  public static fromModelPackageGroupArn(scope: Construct, id: string, modelPackageGroupArn: string): IModelPackageGroup {
    const name = Stack.of(scope).splitArn(modelPackageGroupArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends ModelPackageGroupBase {
      public readonly modelPackageGroupName = name;
      public readonly modelPackageGroupArn = modelPackageGroupArn;
    }
    return new Import(scope, id, { environmentFromArn: modelPackageGroupArn });
  }

  /** An existing group, by attributes. */
  public static fromModelPackageGroupAttributes(scope: Construct, id: string, attrs: ModelPackageGroupAttributes): IModelPackageGroup {
    class Import extends ModelPackageGroupBase {
      public readonly modelPackageGroupName = attrs.modelPackageGroupName;
      public readonly modelPackageGroupArn = Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: attrs.modelPackageGroupName });
    }
    return new Import(scope, id);
  }

  public readonly modelPackageGroupName: string;
  public readonly modelPackageGroupArn: string;

  private readonly policyStatements: iam.PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ModelPackageGroupProps = {}) {
    const v = PropsValidator.forNew('ModelPackageGroup', scope, id);
    v.pattern('modelPackageGroupName', props.modelPackageGroupName, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
      '1-63 letters, digits and hyphens, starting and ending with a letter or digit', 63);
    if (props.description !== undefined && !Token.isUnresolved(props.description)) {
      v.check(props.description.length <= 1024, `description must be at most 1024 characters, got ${props.description.length}`);
    }
    for (const account of props.crossAccountReadAccounts ?? []) {
      if (!Token.isUnresolved(account)) v.check(/^\d{12}$/.test(account), `crossAccountReadAccounts must be 12-digit account IDs, got '${account}'`);
    }
    v.throwIfInvalid();

    super(scope, id);
    // a literal name (given or generated here), so that ARNs and the resource policy need no reference to the group
    const name = props.modelPackageGroupName
      ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }).toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
    const resource = new sagemaker.CfnModelPackageGroup(this, 'Resource', {
      modelPackageGroupName: name,
      modelPackageGroupDescription: props.description,
      modelPackageGroupPolicy: Lazy.any({ produce: () => this.renderPolicy() }),
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.modelPackageGroupName = name;
    // Ref of AWS::SageMaker::ModelPackageGroup is its ARN
    this.modelPackageGroupArn = resource.ref;

    const accounts = props.crossAccountReadAccounts ?? [];
    if (accounts.length > 0) {
      const principals = accounts.map((a) => new iam.AccountPrincipal(a));
      const groupArn = Stack.of(this).formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: this.modelPackageGroupName });
      this.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CrossAccountReadGroup',
        principals,
        actions: ['sagemaker:DescribeModelPackageGroup'],
        resources: [groupArn],
      }));
      this.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CrossAccountReadModelPackages',
        principals,
        actions: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages', 'sagemaker:CreateModel'],
        resources: [this.modelPackageArnPattern],
      }));
    }
  }

  /** Adds a statement to the group's resource policy. */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    this.policyStatements.push(statement);
    return { statementAdded: true };
  }

  private renderPolicy(): any {
    if (this.policyStatements.length === 0) return undefined;
    return new iam.PolicyDocument({ statements: this.policyStatements }).toJSON();
  }
}
