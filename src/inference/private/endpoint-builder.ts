import * as crypto from 'crypto';
import { Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { encryptedTopic, Hosting } from './hosting';
import { createScalingGuard, GuardedVariant } from './scaling-guard';
import {
  createRollbackAlarms, dataCaptureConfig, deploymentConfig, firstLocalStorageType, instanceVariantProperties, ResolvedInstanceVariant,
} from './variants';
import { InterfaceEndpointService } from '../../network/endpoint-service';
import { acknowledge } from '../../private/acknowledgments';
import { DeploymentStrategy } from '../deployment-strategy';
import { ServerlessVariantProps } from '../endpoint-options';
import type { EndpointCommonProps } from '../model-endpoint';

/** What a hosted endpoint is built from, after validation. */
export interface HostedEndpointSpec {
  readonly props: EndpointCommonProps;
  readonly endpointName: string;
  readonly instanceVariants: ResolvedInstanceVariant[];
  readonly serverless?: ServerlessVariantProps;
  readonly deployment?: DeploymentStrategy;
  readonly asyncInference?: (hosting: Hosting) => sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty;
  /** The variants registered for auto scaling, read at synth time. */
  readonly guardedVariants: () => GuardedVariant[];
}

/** The resources of a hosted endpoint. */
export interface HostedEndpoint {
  readonly hosting: Hosting;
  readonly config: sagemaker.CfnEndpointConfig;
  readonly resource: sagemaker.CfnEndpoint;
  readonly alarmTopic: sns.ITopic;
  readonly alarms: cloudwatch.IAlarm[];
  readonly variantNames: string[];
}

/**
 * Builds an endpoint under `self`: execution role, security group and log group; one model per
 * variant; the endpoint configuration (KMS volume key unless an instance type has local NVMe
 * storage, data capture, async inference); the rollback alarms and their topic; the endpoint with
 * `RetainAllVariantProperties` and the blue/green deployment; and, for instance variants, the
 * scaling guard the endpoint depends on.
 */
export function buildHostedEndpoint(self: Construct, spec: HostedEndpointSpec): HostedEndpoint {
  const { props, endpointName, serverless } = spec;
  const hosting = new Hosting(self, {
    network: props.network,
    encryptionKey: props.encryptionKey,
    logsEncryptionKey: props.logsEncryptionKey,
    logRetention: props.logRetention,
    removalPolicy: props.removalPolicy,
    logGroupName: `/aws/sagemaker/Endpoints/${endpointName}`,
    purpose: 'endpoint',
    inVpc: !serverless,
  });
  props.network.addInterfaceEndpoints(InterfaceEndpointService.SAGEMAKER_RUNTIME);
  if (!serverless) props.network.addInterfaceEndpoints(InterfaceEndpointService.ECR_API, InterfaceEndpointService.ECR_DKR);

  let productionVariants: sagemaker.CfnEndpointConfig.ProductionVariantProperty[];
  if (serverless) {
    const variantName = serverless.variantName ?? 'AllTraffic';
    const model = hosting.createModel(new Construct(self, `Variant${variantName}`), serverless.model);
    productionVariants = [{
      variantName,
      modelName: model.attrModelName,
      serverlessConfig: {
        memorySizeInMb: serverless.memorySize.toMebibytes(),
        maxConcurrency: serverless.maxConcurrency,
        provisionedConcurrency: serverless.provisionedConcurrency,
      },
    }];
  } else {
    productionVariants = instanceVariantProperties(self, hosting, spec.instanceVariants);
  }

  const localStorageType = firstLocalStorageType(spec.instanceVariants.map((r) => r.instanceType));
  const configProps: sagemaker.CfnEndpointConfigProps = {
    productionVariants,
    kmsKeyId: localStorageType ? undefined : props.encryptionKey.keyArn,
    dataCaptureConfig: props.dataCapture ? dataCaptureConfig(hosting, props.dataCapture) : undefined,
    asyncInferenceConfig: spec.asyncInference?.(hosting),
  };
  const stack = Stack.of(self);
  const config = new sagemaker.CfnEndpointConfig(self, 'Config', {
    ...configProps,
    // A hash of the configuration and of the autoscaled variants: the endpoint's retained variant
    // properties depend on which variants are autoscaled, and SageMaker deploys an update only with a
    // new endpoint configuration, so starting or stopping autoscaling also replaces the configuration.
    endpointConfigName: Lazy.string({
      produce: () => `${endpointName.slice(0, 54)}-${crypto.createHash('sha256')
        .update(JSON.stringify(stack.resolve({ config: configProps, autoscaled: spec.guardedVariants() })))
        .digest('hex').slice(0, 8)}`,
    }),
  });
  if (localStorageType) acknowledge(config, 'INFERENCE_LOCAL_NVME_VOLUME');

  const alarmTopic = props.alarmTopic ?? encryptedTopic(self, 'AlarmTopic', props.notificationsKey ?? props.encryptionKey, `Alarms of SageMaker endpoint ${endpointName}`);
  const alarms: cloudwatch.IAlarm[] = createRollbackAlarms(self, endpointName, config,
    spec.instanceVariants.map((r) => r.variantName), props.rollbackAlarms ?? {}, alarmTopic);
  alarms.push(...props.rollbackAlarms?.additionalAlarms ?? []);
  // the deployment guardrails documentation asks that the role may read its rollback alarms; a policy
  // of its own, because the latency alarm depends on the configuration, which depends on the models
  const alarmsPolicy = alarms.length > 0 ? new iam.ManagedPolicy(self, 'RollbackAlarmsPolicy', {
    description: `Read the rollback alarms of SageMaker endpoint ${endpointName}`,
    roles: [hosting.role],
    statements: [new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: alarms.map((a) => a.alarmArn) })],
  }) : undefined;

  const resource = new sagemaker.CfnEndpoint(self, 'Resource', {
    endpointName,
    endpointConfigName: config.attrEndpointConfigName,
    // updates keep the instance counts autoscaling chose; the template stays the source of the weights
    // (and of the counts, when nothing is autoscaled)
    retainAllVariantProperties: serverless ? undefined : true,
    excludeRetainedVariantProperties: serverless ? undefined : Lazy.any({
      produce: () => [
        { variantPropertyType: 'DesiredWeight' },
        ...(spec.guardedVariants().length === 0 ? [{ variantPropertyType: 'DesiredInstanceCount' }] : []),
      ],
    }),
    deploymentConfig: spec.deployment ? deploymentConfig(spec.deployment, alarms) : undefined,
  });

  if (alarmsPolicy) resource.node.addDependency(alarmsPolicy);
  if (!serverless) {
    const guard = createScalingGuard(self, endpointName, spec.guardedVariants, props.logsEncryptionKey);
    // CloudFormation runs the guard before every endpoint update, and deletes it after the endpoint
    resource.node.addDependency(guard);
  }

  return { hosting, config, resource, alarmTopic, alarms, variantNames: productionVariants.map((p) => p.variantName) };
}
