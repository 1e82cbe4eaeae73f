import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './iam';
import type { S3LocationHint } from './references';
import { JOB_KINDS, JobGuard, JobKindName, Requirements } from './render';

export interface PipelinePolicyOptions {
  readonly role: iam.IRole;
  readonly requirements: Requirements;
  readonly jobPrefix: string;
  readonly pipelineName: string;
  readonly pipelineArn: string;
}

/** The guardrail conditions every job of a kind satisfies. */
function guardConditions(kind: JobKindName, guards: JobGuard[]): { [operator: string]: any } {
  const keys = JOB_KINDS[kind].conditionKeys;
  const conditions: { [operator: string]: any } = {};
  const add = (operator: string, key: string, value: any) => {
    conditions[operator] = { ...(conditions[operator] ?? {}), [key]: value };
  };
  if (keys.includes('NetworkIsolation') && guards.every((g) => g.networkIsolation === true)) add('Bool', 'sagemaker:NetworkIsolation', 'true');
  if (keys.includes('InterContainerTrafficEncryption') && guards.every((g) => g.interContainerTrafficEncryption === true)) {
    add('Bool', 'sagemaker:InterContainerTrafficEncryption', 'true');
  }
  const uniq = (values: string[]) => [...new Set(values)];
  if (keys.includes('VolumeKmsKeyArn') && guards.every((g) => g.volumeKeyArn)) add('ArnEquals', 'sagemaker:VolumeKmsKeyArn', uniq(guards.map((g) => g.volumeKeyArn!)));
  if (keys.includes('OutputKmsKeyArn') && guards.every((g) => g.outputKeyArn)) add('ArnEquals', 'sagemaker:OutputKmsKeyArn', uniq(guards.map((g) => g.outputKeyArn!)));
  if (keys.includes('VpcSubnets') && guards.every((g) => g.subnetIds)) {
    add('ForAllValues:StringEquals', 'sagemaker:VpcSubnets', uniq(guards.flatMap((g) => g.subnetIds!)));
    add('ForAllValues:StringEquals', 'sagemaker:VpcSecurityGroupIds', uniq(guards.flatMap((g) => g.securityGroupIds!)));
    // ForAllValues also matches a request without the key: require it
    add('Null', 'sagemaker:VpcSubnets', 'false');
    add('Null', 'sagemaker:VpcSecurityGroupIds', 'false');
  }
  return conditions;
}

function objectArns(locations: S3LocationHint[]): string[] {
  return [...new Set(locations.map((l) => l.bucket.arnForObjects(l.keyPrefix ? `${l.keyPrefix.replace(/\/+$/, '')}/*` : '*')))];
}

function keyArns(keys: Iterable<kms.IKey>): string[] {
  return [...new Set([...keys].map((k) => k.keyArn))];
}

/**
 * The pipeline role's customer-managed policy: exactly what the steps of the definition need.
 */
export function buildPipelinePolicy(scope: Construct, id: string, options: PipelinePolicyOptions): iam.ManagedPolicy {
  const stack = Stack.of(scope);
  const r = options.requirements;
  const prefix = options.jobPrefix;
  const jobStatements: iam.PolicyStatement[] = [];
  const dataStatements: iam.PolicyStatement[] = [];
  const registryStatements: iam.PolicyStatement[] = [];
  const experimentStatements: iam.PolicyStatement[] = [];
  const otherStatements: iam.PolicyStatement[] = [];
  const taggingActions: string[] = [];
  const taggedResources: string[] = [];

  for (const [kind, guards] of r.jobs) {
    const spec = JOB_KINDS[kind];
    const arn = stack.formatArn({ service: 'sagemaker', resource: spec.resourceType, resourceName: `${prefix}-*` });
    const sid = spec.resourceType.split('-').map((w) => w === 'automl' ? 'AutoML' : w[0].toUpperCase() + w.slice(1)).join('');
    jobStatements.push(new iam.PolicyStatement({
      sid: `Create${sid}s`,
      actions: [spec.createAction, ...(spec.alternateCreateActions ?? [])],
      resources: [arn],
      conditions: guardConditions(kind, guards),
    }));
    jobStatements.push(new iam.PolicyStatement({ sid: `Manage${sid}s`, actions: [...spec.otherActions], resources: [arn] }));
    taggingActions.push(...[spec.createAction, ...(spec.alternateCreateActions ?? [])].map((a) => a.replace('sagemaker:', '')));
    taggedResources.push(arn);
  }

  if (r.passRoles.length > 0) {
    otherStatements.push(new iam.PolicyStatement({
      sid: 'PassStepRolesToSageMaker',
      actions: ['iam:PassRole'],
      resources: [...new Set(r.passRoles.map((role) => role.roleArn))],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }));
  }

  if (r.jobKeys.size > 0) {
    otherStatements.push(new iam.PolicyStatement({ sid: 'DescribeJobKeys', actions: ['kms:DescribeKey'], resources: keyArns(r.jobKeys) }));
    otherStatements.push(new iam.PolicyStatement({
      sid: 'GrantJobKeysToSageMaker',
      actions: ['kms:CreateGrant'],
      resources: keyArns(r.jobKeys),
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }));
  }

  if (r.pipelineReads.length > 0) {
    dataStatements.push(new iam.PolicyStatement({ sid: 'ReadStepResults', actions: ['s3:GetObject'], resources: objectArns(r.pipelineReads) }));
  }
  const decryptKeys = new Set<kms.IKey>(r.pipelineDecryptKeys);
  r.pipelineReads.forEach((l) => l.bucket.encryptionKey && decryptKeys.add(l.bucket.encryptionKey));
  if (decryptKeys.size > 0 && (r.pipelineReads.length > 0 || r.pipelineDecryptKeys.size > 0)) {
    otherStatements.push(new iam.PolicyStatement({ sid: 'DecryptStepResults', actions: ['kms:Decrypt'], resources: keyArns(decryptKeys) }));
  }

  if (r.functions.length > 0) {
    otherStatements.push(new iam.PolicyStatement({
      sid: 'InvokeStepFunctions',
      actions: ['lambda:InvokeFunction'],
      resources: [...new Set(r.functions.map((f) => f.functionArn))],
    }));
  }

  if (r.queues.length > 0) {
    otherStatements.push(new iam.PolicyStatement({
      sid: 'SendCallbackMessages',
      actions: ['sqs:SendMessage'],
      resources: [...new Set(r.queues.map((q) => q.queueArn))],
    }));
    const queueKeys = r.queues.map((q) => q.encryptionMasterKey).filter((k): k is kms.IKey => k !== undefined);
    if (queueKeys.length > 0) {
      otherStatements.push(new iam.PolicyStatement({
        sid: 'EncryptCallbackMessages',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: keyArns(queueKeys),
      }));
    }
  }

  if (r.emrClusters.length > 0) {
    otherStatements.push(new iam.PolicyStatement({
      sid: 'RunEmrSteps',
      actions: ['elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:DescribeStep', 'elasticmapreduce:CancelSteps', 'elasticmapreduce:DescribeCluster'],
      resources: [...new Set(r.emrClusters)].map((c) => stack.formatArn({ service: 'elasticmapreduce', resource: 'cluster', resourceName: c })),
    }));
    // the rule SageMaker Pipelines uses to follow EMR step status (AmazonSageMakerPipelinesIntegrations)
    otherStatements.push(new iam.PolicyStatement({
      sid: 'FollowEmrSteps',
      actions: ['events:PutRule', 'events:PutTargets', 'events:DescribeRule'],
      resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'SageMakerPipelineExecutionEMRStepStatusUpdateRule' })],
    }));
  }

  const groupPattern = (group: string) => stack.formatArn({
    service: 'sagemaker', resource: 'model-package', resourceName: `${Token.isUnresolved(group) ? group : group.toLowerCase()}/*`,
  });
  for (const [group, statuses] of r.registrations) {
    const known = statuses.every((s) => s !== undefined);
    registryStatements.push(new iam.PolicyStatement({
      sid: `RegisterIn${registryStatements.length}`,
      actions: ['sagemaker:CreateModelPackage'],
      resources: [groupPattern(group)],
      // a literal approval status limits what the pipeline may register
      conditions: known ? { StringEquals: { 'sagemaker:ModelApprovalStatus': [...new Set(statuses)] } } : undefined,
    }));
    taggingActions.push('CreateModelPackage');
    taggedResources.push(groupPattern(group));
  }
  const readGroups = new Set([...r.registrations.keys(), ...r.baselineGroups]);
  if (readGroups.size > 0) {
    registryStatements.push(new iam.PolicyStatement({
      sid: 'ReadModelPackages',
      actions: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'],
      resources: [...readGroups].map(groupPattern),
    }));
    otherStatements.push(new iam.PolicyStatement({
      sid: 'DescribeModelPackageGroups',
      actions: ['sagemaker:DescribeModelPackageGroup'],
      resources: [...readGroups].map((g) => stack.formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: g })),
    }));
  }

  if (r.experiments) {
    const experiment = stack.formatArn({ service: 'sagemaker', resource: 'experiment', resourceName: '*' });
    const trial = stack.formatArn({ service: 'sagemaker', resource: 'experiment-trial', resourceName: '*' });
    const component = stack.formatArn({ service: 'sagemaker', resource: 'experiment-trial-component', resourceName: '*' });
    experimentStatements.push(new iam.PolicyStatement({
      sid: 'RecordExperiments',
      actions: ['sagemaker:CreateExperiment', 'sagemaker:DescribeExperiment', 'sagemaker:CreateTrial', 'sagemaker:DescribeTrial', 'sagemaker:AssociateTrialComponent'],
      resources: [experiment, trial, component],
    }));
    taggingActions.push('CreateExperiment', 'CreateTrial');
    taggedResources.push(experiment, trial);
  }

  if (taggingActions.length > 0) {
    // SageMaker Pipelines tags what it creates; tagging is allowed only as part of those create calls
    otherStatements.push(new iam.PolicyStatement({
      sid: 'TagOnCreate',
      actions: ['sagemaker:AddTags'],
      resources: [...new Set(taggedResources)],
      conditions: { StringEquals: { 'sagemaker:TaggingAction': [...new Set(taggingActions)] } },
    }));
  }

  const policy = new iam.ManagedPolicy(scope, id, {
    description: `Execution role policy of SageMaker pipeline ${options.pipelineName}`.slice(0, 1000),
    roles: [options.role],
    statements: [...jobStatements, ...otherStatements, ...dataStatements, ...registryStatements, ...experimentStatements],
  });
  if (jobStatements.length + otherStatements.length + dataStatements.length + registryStatements.length + experimentStatements.length === 0) {
    // a pipeline of Fail and Condition steps only needs no permission; IAM rejects an empty policy
    policy.addStatements(new iam.PolicyStatement({
      sid: 'DescribeOwnPipeline',
      actions: ['sagemaker:DescribePipeline'],
      resources: [options.pipelineArn],
    }));
  }
  // TagOnCreate names the same resources as the statements below, so their acknowledgments cover it
  acknowledgeWildcardResources(policy, 'PIPELINE_JOB_NAME_PREFIX', jobStatements);
  acknowledgeWildcardResources(policy, 'PIPELINE_STEP_DATA_PREFIXES', dataStatements);
  acknowledgeWildcardResources(policy, 'MODEL_PACKAGE_VERSIONS', registryStatements);
  acknowledgeWildcardResources(policy, 'PIPELINE_EXPERIMENT_TRIALS', experimentStatements);
  return policy;
}

/**
 * One customer-managed policy per step role: the job keys and the S3 prefixes (given with
 * `PipelineValue.fromS3Location`) of that role's steps.
 */
export function buildStepRolePolicies(scope: Construct, r: Requirements): void {
  let index = 0;
  for (const [role, needs] of r.stepRoles) {
    index += 1;
    const statements: iam.PolicyStatement[] = [];
    const dataStatements: iam.PolicyStatement[] = [];
    const keys = new Set<kms.IKey>(needs.keys);
    if (needs.read.length > 0) {
      dataStatements.push(new iam.PolicyStatement({ sid: 'ReadStepInputs', actions: ['s3:GetObject'], resources: objectArns(needs.read) }));
      const buckets = [...new Set(needs.read.map((l) => l.bucket))];
      statements.push(new iam.PolicyStatement({
        sid: 'ListStepInputs',
        actions: ['s3:ListBucket'],
        resources: buckets.map((b) => b.bucketArn),
        conditions: { StringLike: { 's3:prefix': [...new Set(needs.read.map((l) => (l.keyPrefix ? `${l.keyPrefix.replace(/\/+$/, '')}*` : '*')))] } },
      }));
      needs.read.forEach((l) => l.bucket.encryptionKey && keys.add(l.bucket.encryptionKey));
    }
    if (needs.write.length > 0) {
      dataStatements.push(new iam.PolicyStatement({
        sid: 'WriteStepOutputs',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: objectArns(needs.write),
      }));
      needs.write.forEach((l) => l.bucket.encryptionKey && keys.add(l.bucket.encryptionKey));
    }
    if (keys.size > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'UseStepKeys',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: keyArns(keys),
      }));
      statements.push(new iam.PolicyStatement({
        sid: 'GrantStepKeysToSageMaker',
        actions: ['kms:CreateGrant'],
        resources: keyArns(keys),
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }));
    }
    if (statements.length + dataStatements.length === 0) continue;
    const policy = new iam.ManagedPolicy(scope, `StepRolePolicy${index}`, {
      description: 'What the steps of this pipeline that run with this role read, write and encrypt with',
      roles: [role],
      statements: [...statements, ...dataStatements],
    });
    acknowledgeWildcardResources(policy, 'PIPELINE_STEP_DATA_PREFIXES', dataStatements);
    // the ListBucket condition uses a prefix wildcard, which IAM5 does not report (it is not a resource)
  }
}
