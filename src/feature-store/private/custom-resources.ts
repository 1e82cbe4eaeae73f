import { CustomResource, Lazy, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { allowHandlerOnGroup } from './stack-state';
import { FeatureGroupGuardFunction } from '../../private/handlers/feature-group-guard-function';
import { FeatureMetadataFunction } from '../../private/handlers/feature-metadata-function';
import { PlatformProvider } from '../../private/provider';

/** Metadata of one feature, as the feature-metadata handler receives it. */
export interface FeatureMetadataEntry {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: { [key: string]: string };
}

/**
 * The schema guard of a feature group: a custom resource that the feature group depends on, so that
 * CloudFormation updates it BEFORE the group. On update it compares the create-only properties and the
 * feature definitions of the old and new template and fails, before the group is touched, when the change
 * cannot be applied in place (CloudFormation would replace the group, or Feature Store cannot apply it).
 *
 * Its `Schema` property is rendered at synth from the L1 resource itself, so it always carries exactly
 * the values CloudFormation will apply (including tags added by aspects).
 */
export function createSchemaGuard(scope: Construct, id: string, group: sagemaker.CfnFeatureGroup,
  arns: string[], allowReplacement: boolean): CustomResource {
  const provider = PlatformProvider.getOrCreate(scope, {
    name: 'FeatureGroupGuard',
    onEventHandler: (s, i, o) => new FeatureGroupGuardFunction(s, i, o),
  });
  // Create: DescribeFeatureGroup tells whether a group of that name already exists
  allowHandlerOnGroup(scope, 'FeatureGroupGuard', ['sagemaker:DescribeFeatureGroup'], arns,
    (statement) => provider.addToHandlerPolicy(statement));
  const stack = Stack.of(scope);
  const resource = provider.createResource(scope, id, {
    properties: {
      FeatureGroupName: group.featureGroupName,
      AllowReplacement: allowReplacement ? 'true' : 'false',
      Schema: Lazy.string({ produce: () => stack.toJsonString(guardedSchema(group)) }),
    },
  });
  dependOnHandlerRole(resource, provider);
  return resource;
}

/**
 * The feature-metadata resource of a feature group: sets feature descriptions and parameters with
 * UpdateFeatureMetadata (CloudFormation has no property for them). It depends on the group, so it runs
 * after the group is created or its features are added.
 */
export function createFeatureMetadata(scope: Construct, id: string, group: sagemaker.CfnFeatureGroup,
  arns: string[], features: FeatureMetadataEntry[]): CustomResource {
  const provider = PlatformProvider.getOrCreate(scope, {
    name: 'FeatureMetadata',
    onEventHandler: (s, i, o) => new FeatureMetadataFunction(s, i, o),
  });
  allowHandlerOnGroup(scope, 'FeatureMetadata', ['sagemaker:UpdateFeatureMetadata', 'sagemaker:DescribeFeatureMetadata'], arns,
    (statement) => provider.addToHandlerPolicy(statement));
  const resource = provider.createResource(scope, id, {
    properties: {
      FeatureGroupName: group.featureGroupName,
      Features: Stack.of(scope).toJsonString(features),
    },
  });
  dependOnHandlerRole(resource, provider);
  resource.node.addDependency(group);
  return resource;
}

/** The handler's permissions (shared statement) exist before the resource is created or updated. */
function dependOnHandlerRole(resource: CustomResource, provider: PlatformProvider): void {
  resource.node.addDependency(provider.handlerRole);
}

/**
 * The properties of the group that decide whether an update is applied in place: the create-only
 * properties of AWS::SageMaker::FeatureGroup, plus the feature definitions (features can only be added).
 * TtlDuration and ThroughputConfig are updatable and left out.
 */
function guardedSchema(group: sagemaker.CfnFeatureGroup): { [key: string]: unknown } {
  // the values as the construct set them (tokens included): toJsonString renders them for CloudFormation
  const definitions = group.featureDefinitions as sagemaker.CfnFeatureGroup.FeatureDefinitionProperty[];
  const online = group.onlineStoreConfig as { [key: string]: unknown } | undefined;
  return {
    FeatureGroupName: group.featureGroupName,
    RecordIdentifierFeatureName: group.recordIdentifierFeatureName,
    EventTimeFeatureName: group.eventTimeFeatureName,
    FeatureDefinitions: (definitions ?? []).map((d) => ({ FeatureName: d.featureName, FeatureType: d.featureType })),
    OnlineStoreConfig: online ? {
      EnableOnlineStore: online.EnableOnlineStore,
      StorageType: online.StorageType,
      SecurityConfig: online.SecurityConfig,
    } : undefined,
    OfflineStoreConfig: group.offlineStoreConfig,
    RoleArn: group.roleArn,
    Description: group.description,
    Tags: renderedTags(group),
  };
}

/** The tags CloudFormation will get (after aspects), as Key/Value pairs. */
function renderedTags(group: sagemaker.CfnFeatureGroup): Array<{ Key: string; Value: string }> | undefined {
  const tags = group.tags.renderTags() as Array<{ key?: string; value?: string; Key?: string; Value?: string }> | undefined;
  if (!tags || tags.length === 0) return undefined;
  return tags.map((t) => ({ Key: (t.Key ?? t.key)!, Value: (t.Value ?? t.value)! }));
}
