import { CfnResource } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { PLATFORM_RULES } from './rules';
import { withPropertyCache } from './rules/rule';

/**
 * A cdk-nag rule pack for SageMaker platforms, usable by any CDK app: Studio domains on VPC-only
 * networks with KMS, per-user identity, roles and security groups, encrypted feature stores,
 * pipeline job steps in the VPC with KMS, isolated models, encrypted endpoints with autoscaling and
 * rollback alarms, HyperPod clusters in a VPC with node recovery, monitoring jobs in the VPC with KMS,
 * no AmazonSageMakerFullAccess and no `sagemaker:*` on `*`, and closed-network VPC endpoints.
 *
 * Rules read CloudFormation resources only. Finding ids are `SageMakerPlatform-<Rule>`;
 * acknowledge one with `Validations.of(resource).acknowledge({ id, reason })`.
 *
 * @example
 * Validations.of(app).addPlugins(new SageMakerPlatformChecks(app));
 */
export class SageMakerPlatformChecks extends NagPack {
  /** The rule names this pack evaluates. */
  public static get ruleNames(): string[] {
    return PLATFORM_RULES.map((r) => r.name);
  }

  public readonly name = 'SageMakerPlatform';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'SageMakerPlatform';
  }

  protected checkResource(node: CfnResource): void {
    withPropertyCache(node, () => {
      for (const rule of PLATFORM_RULES) {
        this.applyRule({
          ruleSuffixOverride: rule.name,
          info: rule.info,
          explanation: rule.explanation,
          level: rule.level,
          node,
          rule: (resource: CfnResource) => rule.check(resource),
        });
      }
    });
  }
}
