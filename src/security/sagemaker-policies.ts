import { Aws, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { JobGuardrailsOptions } from './job-guardrails';

/**
 * Options of {@link SageMakerPolicies.userExecution}.
 */
export interface UserExecutionStatementsOptions {
  /** The ID of the Studio domain. */
  readonly domainId: string;

  /** The ARN of the user's profile (the value of `sagemaker:OwnerUserProfileArn` for their spaces). */
  readonly userProfileArn: string;

  /** The value of the owner tag of the user's resources, usually the user profile name. */
  readonly owner: string;

  /**
   * Names of shared spaces of the domain in which the user may start and delete apps.
   *
   * @default - none
   */
  readonly allowedSharedSpaces?: string[];

  /**
   * Instance types the user may run Studio apps and spaces on (`sagemaker:InstanceTypes`).
   *
   * @default - no instance-type condition on apps and spaces
   */
  readonly instanceTypes?: string[];
}

/**
 * Options of {@link SageMakerPolicies.humanAccess}.
 */
export interface HumanAccessStatementsOptions {
  /** The ARN of the Studio domain. */
  readonly domainArn: string;

  /** The ARN of the user's profile, the only one they may open. */
  readonly userProfileArn: string;

  /**
   * Allow `CreatePresignedDomainUrl` only through this interface endpoint of the SageMaker API
   * (`aws:SourceVpce`).
   *
   * @default - from any network path
   */
  readonly sageMakerApiEndpoint?: ec2.IVpcEndpoint;
}

/**
 * Options of {@link SageMakerPolicies.studioDomainAccess}.
 */
export interface StudioDomainAccessOptions {
  /** The ARN of the Studio domain. */
  readonly domainArn: string;

  /** The ID of the Studio domain. */
  readonly domainId: string;
}

/**
 * Options of {@link SageMakerPolicies.jobExecution}.
 */
export interface JobExecutionStatementsOptions {
  /** The guardrails the jobs run within: their subnets, security groups and KMS keys. */
  readonly guardrails: JobGuardrailsOptions;

  /** The VPC of the subnets. */
  readonly vpc: ec2.IVpc;

  /**
   * Further KMS keys the role uses for AWS resources (for example the Studio storage key of the
   * domain's EFS and EBS volumes).
   *
   * @default - only the guardrails' volume and output keys
   */
  readonly additionalKeys?: kms.IKey[];
}

/**
 * Least-privilege IAM statements for a SageMaker platform: scoped `iam:PassRole`, the domain
 * resource-isolation policy of the SageMaker developer guide, and the per-user statements that keep
 * every Studio user in their own spaces, apps and jobs.
 *
 * Nothing here grants `sagemaker:*`, an action wildcard on `*`, or uses AWS managed policies.
 */
export class SageMakerPolicies {
  /** The tag that names the owner of a platform resource, for attribute-based access control. */
  public static readonly OWNER_TAG_KEY = 'sagemaker-platform:owner';

  /** The tag SageMaker Studio puts on the resources of a domain. */
  public static readonly DOMAIN_ARN_TAG_KEY = 'sagemaker:domain-arn';

  /**
   * `iam:PassRole` for exactly these roles, only to one service (`iam:PassedToService`).
   *
   * @param roles the roles that may be passed
   * @param service the service principal they may be passed to
   */
  public static passRole(roles: iam.IRole[], service: string = 'sagemaker.amazonaws.com'): iam.PolicyStatement {
    if (roles.length === 0) throw new Error('SageMakerPolicies.passRole: roles must name at least one role, got none');
    return new iam.PolicyStatement({
      sid: 'PassNamedRolesToOneService',
      effect: iam.Effect.ALLOW,
      actions: ['iam:PassRole'],
      resources: roles.map((r) => r.roleArn),
      conditions: { StringEquals: { 'iam:PassedToService': service } },
    });
  }

  /**
   * The domain resource-isolation policy ("Isolate domain resources" in the SageMaker developer guide),
   * written as explicit denies so it holds whatever else the role is allowed:
   *
   * - no describe, update, delete, stop, start or tagging of resources whose `sagemaker:domain-arn` tag
   *   names another domain;
   * - no create request that tags the new resource with another domain (`aws:RequestTag/sagemaker:domain-arn`);
   * - no action on apps, spaces, user profiles or the domain itself outside this domain's ARNs (these
   *   resources carry the domain ID in their ARN).
   *
   * Apply it to every role the domain uses.
   *
   * @param domainArn the ARN of the domain
   * @param domainId the ID of the domain
   */
  public static domainResourceIsolation(domainArn: string, domainId: string): iam.PolicyStatement[] {
    const domainTag = `aws:ResourceTag/${SageMakerPolicies.DOMAIN_ARN_TAG_KEY}`;
    const requestTag = `aws:RequestTag/${SageMakerPolicies.DOMAIN_ARN_TAG_KEY}`;
    return [
      new iam.PolicyStatement({
        sid: 'DenyResourcesOfOtherDomains',
        effect: iam.Effect.DENY,
        actions: [
          'sagemaker:Describe*', 'sagemaker:Update*', 'sagemaker:Delete*', 'sagemaker:Stop*', 'sagemaker:Start*',
          'sagemaker:AddTags', 'sagemaker:DeleteTags',
        ],
        resources: ['*'],
        // only resources that carry a domain tag: untagged resources are governed by the allow statements
        conditions: { StringNotEquals: { [domainTag]: domainArn }, Null: { [domainTag]: 'false' } },
      }),
      new iam.PolicyStatement({
        sid: 'DenyCreatingInOtherDomains',
        effect: iam.Effect.DENY,
        actions: ['sagemaker:Create*'],
        resources: ['*'],
        conditions: { StringNotEquals: { [requestTag]: domainArn }, Null: { [requestTag]: 'false' } },
      }),
      new iam.PolicyStatement({
        sid: 'DenyStudioResourcesOfOtherDomains',
        effect: iam.Effect.DENY,
        actions: [
          'sagemaker:CreateApp', 'sagemaker:DeleteApp', 'sagemaker:DescribeApp',
          'sagemaker:CreateSpace', 'sagemaker:UpdateSpace', 'sagemaker:DeleteSpace', 'sagemaker:DescribeSpace',
          'sagemaker:CreatePresignedDomainUrl', 'sagemaker:CreateUserProfile', 'sagemaker:DescribeUserProfile',
          'sagemaker:UpdateUserProfile', 'sagemaker:DeleteUserProfile',
          'sagemaker:DescribeDomain', 'sagemaker:UpdateDomain', 'sagemaker:DeleteDomain',
        ],
        notResources: [
          domainScopedArn('app', `${domainId}/*`),
          domainScopedArn('space', `${domainId}/*`),
          domainScopedArn('user-profile', `${domainId}/*`),
          domainScopedArn('domain', domainId),
        ],
      }),
    ];
  }

  /**
   * Denies changing any Studio domain or user profile, and opening Studio as anyone: an execution
   * role works inside Studio and never administers it.
   */
  public static denyStudioAdministration(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'DenyStudioAdministration',
      effect: iam.Effect.DENY,
      actions: [
        'sagemaker:CreateDomain', 'sagemaker:UpdateDomain', 'sagemaker:DeleteDomain',
        'sagemaker:CreateUserProfile', 'sagemaker:UpdateUserProfile', 'sagemaker:DeleteUserProfile',
        'sagemaker:CreatePresignedDomainUrl',
      ],
      resources: ['*'],
    });
  }

  /**
   * Read-only access to one domain that every execution role of the domain needs in Studio: describe
   * the domain, its spaces and apps, and list them (List actions support only Resource '*').
   */
  public static studioDomainAccess(options: StudioDomainAccessOptions): iam.PolicyStatement[] {
    const { domainId } = options;
    return [
      new iam.PolicyStatement({
        sid: 'DescribeStudioDomain',
        effect: iam.Effect.ALLOW,
        actions: ['sagemaker:DescribeDomain', 'sagemaker:DescribeSpace', 'sagemaker:DescribeApp', 'sagemaker:ListTags'],
        resources: [
          options.domainArn,
          domainScopedArn('space', `${domainId}/*`),
          domainScopedArn('app', `${domainId}/*`),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'ListStudioResources',
        effect: iam.Effect.ALLOW,
        actions: ['sagemaker:ListSpaces', 'sagemaker:ListApps'],
        resources: ['*'],
      }),
    ];
  }

  /**
   * What one user's execution role may do in Studio beyond the domain-wide read access:
   *
   * - create, update and delete only their own private spaces (`sagemaker:OwnerUserProfileArn`,
   *   `sagemaker:SpaceSharingType`), and start and stop apps only in them and in the shared spaces
   *   they are allowed, and only the Studio IDEs (JupyterLab, Code Editor): a Canvas app comes only from
   *   the `Canvas` construct, other app types (Studio Classic, RStudio, TensorBoard) never;
   * - tag spaces and apps only while creating them, never as someone else;
   * - describe their own profile;
   * - explicit denies: no app or space work in spaces owned by others, no tagging or untagging of
   *   resources owned by others, no removal of the owner tag.
   *
   * Job creation comes from {@link JobGuardrails}; domain administration is denied by
   * {@link denyStudioAdministration}.
   */
  public static userExecution(options: UserExecutionStatementsOptions): iam.PolicyStatement[] {
    const { domainId, userProfileArn, owner } = options;
    const ownerTag = SageMakerPolicies.OWNER_TAG_KEY;
    const instanceTypes = options.instanceTypes && options.instanceTypes.length > 0
      ? { 'ForAllValues:StringLike': { 'sagemaker:InstanceTypes': options.instanceTypes } }
      : {};
    const ownPrivate = {
      ArnEquals: { 'sagemaker:OwnerUserProfileArn': userProfileArn },
      StringEquals: { 'sagemaker:SpaceSharingType': 'Private' },
      ...instanceTypes,
    };

    // Only the Studio IDEs run in the user's spaces. No condition key of CreateApp names the app type, so the
    // type is matched in the app ARN, app/<domain>/<space>/<type>/<app> in lower case (space and app names
    // hold no '/', so '*/jupyterlab/*' matches the type segment only): Canvas, granted only by the Canvas
    // construct, and every other type (Studio Classic, RStudio, TensorBoard, ...) stay implicitly denied
    const ideApps = (space: string) => STUDIO_IDE_APP_TYPES.map((type) => domainScopedArn('app', `${domainId}/${space}/${type}/*`));
    const statements = [
      new iam.PolicyStatement({
        // one statement for the spaces and their apps: they share the conditions, and a managed policy has
        // 6,144 characters (each action applies only to its own resource type: spaces or apps)
        sid: 'OwnPrivateSpacesAndTheirApps',
        effect: iam.Effect.ALLOW,
        actions: ['sagemaker:CreateSpace', 'sagemaker:UpdateSpace', 'sagemaker:DeleteSpace', 'sagemaker:CreateApp', 'sagemaker:DeleteApp'],
        resources: [domainScopedArn('space', `${domainId}/*`), ...ideApps('*')],
        conditions: ownPrivate,
      }),
    ];
    const shared = options.allowedSharedSpaces ?? [];
    if (shared.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'AppsInAllowedSharedSpaces',
        effect: iam.Effect.ALLOW,
        actions: ['sagemaker:CreateApp', 'sagemaker:DeleteApp'],
        // SageMaker writes app ARNs in lower case
        resources: shared.flatMap((space) => ideApps(Token.isUnresolved(space) ? space : space.toLowerCase())),
        conditions: { StringEquals: { 'sagemaker:SpaceSharingType': 'Shared' }, ...instanceTypes },
      }));
    }
    statements.push(
      new iam.PolicyStatement({
        sid: 'TagSpacesAndAppsOnCreate',
        effect: iam.Effect.ALLOW,
        actions: ['sagemaker:AddTags'],
        resources: [domainScopedArn('space', `${domainId}/*`), domainScopedArn('app', `${domainId}/*`)],
        conditions: {
          StringEquals: { 'sagemaker:TaggingAction': ['CreateSpace', 'CreateApp'] },
          // Studio adds its own tags to new spaces and apps; an owner tag, when present, must be the user
          StringEqualsIfExists: { [`aws:RequestTag/${ownerTag}`]: owner },
        },
      }),
      new iam.PolicyStatement({
        sid: 'DescribeOwnProfile',
        effect: iam.Effect.ALLOW,
        actions: ['sagemaker:DescribeUserProfile'],
        resources: [userProfileArn],
      }),
      new iam.PolicyStatement({
        sid: 'DenySpacesAndAppsOfOthers',
        effect: iam.Effect.DENY,
        actions: ['sagemaker:CreateApp', 'sagemaker:DeleteApp', 'sagemaker:CreateSpace', 'sagemaker:UpdateSpace', 'sagemaker:DeleteSpace'],
        resources: ['*'],
        // private spaces of others; shared spaces are governed by the allow statements above
        conditions: {
          ArnNotEquals: { 'sagemaker:OwnerUserProfileArn': userProfileArn },
          Null: { 'sagemaker:OwnerUserProfileArn': 'false' },
          StringEquals: { 'sagemaker:SpaceSharingType': 'Private' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'DenyTaggingResourcesOfOthers',
        effect: iam.Effect.DENY,
        actions: ['sagemaker:AddTags', 'sagemaker:DeleteTags'],
        resources: ['*'],
        conditions: {
          StringNotEquals: { [`aws:ResourceTag/${ownerTag}`]: owner },
          Null: { [`aws:ResourceTag/${ownerTag}`]: 'false' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'DenyTaggingAsSomeoneElse',
        effect: iam.Effect.DENY,
        actions: ['sagemaker:AddTags'],
        resources: ['*'],
        conditions: {
          StringNotEquals: { [`aws:RequestTag/${ownerTag}`]: owner },
          Null: { [`aws:RequestTag/${ownerTag}`]: 'false' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'DenyRemovingOwnerTag',
        effect: iam.Effect.DENY,
        actions: ['sagemaker:DeleteTags'],
        resources: ['*'],
        conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [ownerTag] } },
      }),
    );
    return statements;
  }

  /**
   * The access policy of the human behind a user profile (IAM authentication): open Studio
   * (`CreatePresignedDomainUrl`) only as their own profile, optionally only through the platform's
   * SageMaker API endpoint, plus the read-only calls the console makes on the way.
   */
  public static humanAccess(options: HumanAccessStatementsOptions): iam.PolicyStatement[] {
    const endpoint = options.sageMakerApiEndpoint;
    const statements = [
      new iam.PolicyStatement({
        sid: 'OpenOwnStudioProfile',
        effect: iam.Effect.ALLOW,
        actions: ['sagemaker:CreatePresignedDomainUrl'],
        resources: [options.userProfileArn],
        conditions: endpoint ? { StringEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } } : undefined,
      }),
      new iam.PolicyStatement({
        sid: 'DescribeOwnStudioProfile',
        effect: iam.Effect.ALLOW,
        actions: ['sagemaker:DescribeDomain', 'sagemaker:DescribeUserProfile'],
        resources: [options.domainArn, options.userProfileArn],
      }),
      new iam.PolicyStatement({
        sid: 'ListStudioForConsole',
        effect: iam.Effect.ALLOW,
        actions: ['sagemaker:ListDomains', 'sagemaker:ListUserProfiles', 'sagemaker:ListSpaces', 'sagemaker:ListApps'],
        resources: ['*'],
      }),
    ];
    if (endpoint) {
      statements.push(new iam.PolicyStatement({
        sid: 'DenyStudioOutsidePlatformEndpoint',
        effect: iam.Effect.DENY,
        actions: ['sagemaker:CreatePresignedDomainUrl'],
        resources: ['*'],
        conditions: { StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
      }));
    }
    return statements;
  }

  /**
   * What a role passed to SageMaker jobs needs at run time, scoped to the platform: network interfaces
   * only in the platform subnets and security groups (and cleanup only in its VPC), the jobs' CloudWatch
   * logs and metrics, image pulls from the account's ECR repositories, and the platform KMS keys.
   */
  public static jobExecution(options: JobExecutionStatementsOptions): iam.PolicyStatement[] {
    const { guardrails, vpc } = options;
    const keyArns = uniqueStrings([guardrails.volumeKey, guardrails.outputKey, ...(options.additionalKeys ?? [])].map((k) => k.keyArn));
    const ec2Arn = (resource: string) => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const logGroup = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/sagemaker/*`;
    return [
      new iam.PolicyStatement({
        sid: 'NetworkInterfacesInPlatformSubnets',
        effect: iam.Effect.ALLOW,
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          ec2Arn('network-interface/*'),
          ...guardrails.subnets.map((s) => ec2Arn(`subnet/${s.subnetId}`)),
          ...guardrails.securityGroups.map((sg) => ec2Arn(`security-group/${sg.securityGroupId}`)),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'NetworkInterfacePermissions',
        effect: iam.Effect.ALLOW,
        // SageMaker attaches the job's interfaces to instances in its service account
        actions: ['ec2:CreateNetworkInterfacePermission'],
        resources: [ec2Arn('network-interface/*')],
      }),
      new iam.PolicyStatement({
        sid: 'NetworkInterfaceCleanupInPlatformVpc',
        effect: iam.Effect.ALLOW,
        actions: ['ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        resources: [ec2Arn('network-interface/*')],
        conditions: { ArnEquals: { 'ec2:Vpc': vpc.vpcArn } },
      }),
      new iam.PolicyStatement({
        sid: 'DescribeNetwork',
        effect: iam.Effect.ALLOW,
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'JobLogs',
        effect: iam.Effect.ALLOW,
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
        resources: [logGroup, `${logGroup}:log-stream:*`],
      }),
      new iam.PolicyStatement({
        sid: 'JobMetrics',
        effect: iam.Effect.ALLOW,
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
      }),
      new iam.PolicyStatement({
        sid: 'PullAccountImages',
        effect: iam.Effect.ALLOW,
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [`arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/*`],
      }),
      new iam.PolicyStatement({
        sid: 'EcrAuthorization',
        effect: iam.Effect.ALLOW,
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'UsePlatformKeys',
        effect: iam.Effect.ALLOW,
        actions: ['kms:DescribeKey', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'],
        resources: keyArns,
      }),
      new iam.PolicyStatement({
        sid: 'PlatformKeyGrantsForAwsResources',
        effect: iam.Effect.ALLOW,
        actions: ['kms:CreateGrant'],
        resources: keyArns,
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    ];
  }

  private constructor() {}
}

/**
 * The app types a platform user runs in their spaces, as SageMaker writes them in app ARNs: the Studio
 * IDEs of `StudioAppType` (JupyterLab, Code Editor), the only app types the library's spaces and domain
 * settings configure.
 */
const STUDIO_IDE_APP_TYPES = ['jupyterlab', 'codeeditor'];

/** An ARN of a domain-scoped SageMaker resource in the deploying account and Region. */
function domainScopedArn(resourceType: string, name: string): string {
  return `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resourceType}/${name}`;
}

function uniqueStrings(values: string[]): string[] {
  return [...new Set(values)];
}
