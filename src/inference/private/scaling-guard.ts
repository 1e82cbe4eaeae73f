import { CustomResource, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../../private/acknowledgments';
import { ScalingGuardFunction } from '../../private/handlers/scaling-guard-function';
import { nagResourceDetail } from '../../private/nag-detail';
import { PlatformProvider } from '../../private/provider';

/** The tag every scalable target of a platform endpoint carries; the guard may deregister only those. */
export const ENDPOINT_TAG_KEY = 'sagemaker-platform:endpoint';

/** A variant registered for auto scaling, as the guard sees it. */
export interface GuardedVariant {
  readonly variantName: string;
  readonly instanceType: string;
}

const PREPARED = new WeakSet<PlatformProvider>();

/**
 * The scaling guard of one endpoint: a custom resource the endpoint depends on, so CloudFormation
 * runs it before every endpoint update. It deregisters the scalable targets of variants whose
 * instance type changes, that go away, or that stop being autoscaled (SageMaker refuses to update an
 * endpoint that would change them while they are registered). See lambda/scaling-guard/handler.ts.
 */
export function createScalingGuard(scope: Construct, endpointName: string, variants: () => GuardedVariant[], logKey?: kms.IKey): CustomResource {
  const provider = PlatformProvider.getOrCreate(scope, {
    name: 'ScalingGuard',
    onEventHandler: (s, id, options) => new ScalingGuardFunction(s, id, options),
    logKey,
  });
  if (!PREPARED.has(provider)) {
    PREPARED.add(provider);
    const stack = Stack.of(provider);
    const targets = `arn:${stack.partition}:application-autoscaling:${stack.region}:${stack.account}:scalable-target/*`;
    // one statement for every guard of the stack: the targets are named by tag, not by instance
    provider.addToHandlerPolicy(new iam.PolicyStatement({
      sid: 'DeregisterPlatformEndpointVariants',
      actions: ['application-autoscaling:DeregisterScalableTarget'],
      resources: [targets],
      conditions: {
        StringEquals: {
          'application-autoscaling:service-namespace': 'sagemaker',
          'application-autoscaling:scalable-dimension': 'sagemaker:variant:DesiredInstanceCount',
        },
        Null: { [`aws:ResourceTag/${ENDPOINT_TAG_KEY}`]: 'false' },
      },
    }));
    const policy = provider.handlerRole.node.tryFindChild('Policy');
    if (!(policy instanceof iam.ManagedPolicy)) {
      throw new Error('src/private/provider.ts changed: the handler role no longer has its managed policy \'Policy\'');
    }
    acknowledge(policy, 'SCALING_GUARD_TARGETS', [nagResourceDetail(policy, targets)]);
  }
  return provider.createResource(scope, 'ScalingGuard', {
    properties: {
      EndpointName: endpointName,
      ScalableVariants: Lazy.any({
        produce: () => variants().map((v) => ({ VariantName: v.variantName, InstanceType: v.instanceType })),
      }, { omitEmptyArray: false }),
    },
  });
}
