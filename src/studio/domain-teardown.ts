/**
 * `DomainTeardown`: deletes what CloudFormation cannot when a Studio domain is deleted.
 *
 * For the StudioDomain construct (not needed by users who use StudioDomain):
 *
 *   const teardown = new DomainTeardown(this, 'Teardown', { domain: cfnDomain, logKey: keys.logs });
 *   teardown.runBeforeDeletionOf(userProfile, space);   // every CfnUserProfile and CfnSpace of the domain
 *
 * Two custom resources, served by the stack's one `SageMakerPlatformDomainTeardownProvider`:
 *
 * - `BeforeDomainDeletion` depends on the domain (it references it) and, through `runBeforeDeletionOf`,
 *   on every user profile and space, so CloudFormation deletes it FIRST. Its Delete deletes every app
 *   of the domain (apps in Failed or Deleted state are skipped: they block nothing and cannot be
 *   deleted), then the spaces that no CloudFormation stack manages (users create them in Studio), and
 *   waits until they are gone (isComplete every 30 s, for up to 50 minutes). On Create/Update it tags
 *   the domain's SageMaker-created NFS security groups and home EFS with this teardown's tag value.
 * - `AfterDomainDeletion` is a dependency OF the domain (the domain depends on it), so CloudFormation
 *   deletes it LAST, after the domain. It cannot reference the domain; it finds what to clean up through
 *   the tags written by the first resource (the hand-off): the `security-group-for-inbound-nfs-<domainId>`
 *   and `security-group-for-outbound-nfs-<domainId>` groups, which otherwise block the VPC's deletion,
 *   and the home EFS. It deletes the EFS's mount targets (network interfaces in the VPC's subnets, no
 *   data), revokes the groups' references to each other, deletes the groups, and deletes the file system
 *   only when `homeFileSystemRemovalPolicy` is `RemovalPolicy.DESTROY`.
 *
 * Why tags for the hand-off (and not an SSM parameter written by the first handler): the tags live on
 * the very resources to clean up, survive a replaced domain (each domain's resources keep their tags,
 * so all of them are cleaned at the end), need no extra service, endpoint or state, and give the
 * destructive permissions a tight IAM condition: the second handler may delete only security groups in
 * the domain's VPC, and file systems, that carry this teardown's tag value, and the first handler may
 * add that tag only to resources SageMaker tagged as belonging to this domain
 * (`ManagedByAmazonSageMakerResource` = the domain ARN).
 */
import { Aws, CustomResource, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IDependable } from 'constructs';
import { DomainTeardownIsCompleteFunction } from '../private/handlers/domain-teardown-is-complete-function';
import { DomainTeardownOnEventFunction } from '../private/handlers/domain-teardown-on-event-function';
import { PlatformProvider } from '../private/provider';
import { PropsValidator } from '../private/validation';

/** Tag keys shared with lambda/domain-teardown/types.ts (lambda/ and src/ cannot import each other). */
const DOMAIN_TEARDOWN_TAG = 'cdk-sagemaker-platform:domain-teardown';
const DOMAIN_ID_TAG = 'cdk-sagemaker-platform:domain-id';
const HOME_EFS_TAG = 'cdk-sagemaker-platform:home-efs';
const SAGEMAKER_MANAGED_TAG = 'ManagedByAmazonSageMakerResource';

/**
 * Properties of a {@link DomainTeardown}.
 */
export interface DomainTeardownProps {
  /** The domain to tear down. Its `vpcId` is where the NFS security groups are looked for. */
  readonly domain: sagemaker.CfnDomain;

  /**
   * What happens to the domain's home EFS file system (the users' home directories) after the domain is
   * deleted. `RemovalPolicy.DESTROY` is the explicit opt-in to delete it. Either way its mount targets are
   * deleted, so the VPC and the NFS security groups can be deleted; a retained file system keeps its data
   * and can be mounted again through a new mount target.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly homeFileSystemRemovalPolicy?: RemovalPolicy;

  /**
   * Key of the teardown provider's log group.
   *
   * @default - the stack's shared custom-resource logs key
   */
  readonly logKey?: kms.IKey;
}

/**
 * Deletes a Studio domain's apps and unmanaged spaces before the domain, and its NFS security groups
 * (and, on opt-in, its home EFS) after it.
 */
export class DomainTeardown extends Construct {
  /** The key of the tag that hands the domain's NFS security groups and home EFS over to the cleanup. */
  public static readonly TAG_KEY = DOMAIN_TEARDOWN_TAG;

  /** The custom resource that runs before the domain, its user profiles and spaces are deleted. */
  public readonly beforeDomainDeletion: CustomResource;

  /** The custom resource that runs after the domain is deleted. */
  public readonly afterDomainDeletion: CustomResource;

  /** The value of the teardown tag on the domain's NFS security groups and home EFS. */
  public readonly tagValue: string;

  constructor(scope: Construct, id: string, props: DomainTeardownProps) {
    const v = PropsValidator.forNew('DomainTeardown', scope, id);
    const removal = props.homeFileSystemRemovalPolicy ?? RemovalPolicy.RETAIN;
    v.oneOf('homeFileSystemRemovalPolicy', removal, [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY]);
    v.check(props.domain.vpcId !== undefined, 'domain must have a vpcId: the teardown cleans up its NFS security groups in that VPC');
    v.throwIfInvalid();
    super(scope, id);

    const stack = Stack.of(this);
    const domain = props.domain;
    const domainId = domain.attrDomainId;
    const domainArn = domain.attrDomainArn;
    const vpcArn = stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: domain.vpcId });
    // unique per stack deployment and per teardown (a recreated stack never matches an old one's resources)
    this.tagValue = `${Aws.STACK_ID}/${Names.uniqueId(this).slice(-8)}`;
    const deleteFileSystem = removal === RemovalPolicy.DESTROY;

    const provider = PlatformProvider.getOrCreate(this, {
      name: 'DomainTeardown',
      onEventHandler: (s, i, o) => new DomainTeardownOnEventFunction(s, i, o),
      isCompleteHandler: (s, i, o) => new DomainTeardownIsCompleteFunction(s, i, o),
      // app deletion takes minutes; CloudFormation waits one hour for a custom resource
      queryInterval: Duration.seconds(30),
      totalTimeout: Duration.minutes(50),
      handlerTimeout: Duration.minutes(5),
      logKey: props.logKey,
    });

    const arn = (service: string, resource: string) => stack.formatArn({ service, resource, resourceName: '*' });
    const inVpc = { 'ec2:Vpc': vpcArn };

    this.beforeDomainDeletion = provider.createResource(this, 'BeforeDomainDeletion', {
      properties: {
        Phase: 'BeforeDomainDeletion',
        DomainId: domainId,
        DomainArn: domainArn,
        TeardownTag: this.tagValue,
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeDomain',
          actions: ['sagemaker:DescribeDomain'],
          resources: [domainArn],
        }),
        new iam.PolicyStatement({
          sid: 'ListAppsAndSpaces',
          // no resource-level permissions: the handler filters by DomainIdEquals
          actions: ['sagemaker:ListApps', 'sagemaker:ListSpaces', 'ec2:DescribeSecurityGroups'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'DeleteAppsOfThisDomain',
          actions: ['sagemaker:DeleteApp'],
          resources: [stack.formatArn({ service: 'sagemaker', resource: 'app', resourceName: `${domainId}/*` })],
        }),
        new iam.PolicyStatement({
          sid: 'DeleteSpacesOfThisDomain',
          actions: ['sagemaker:DeleteSpace', 'sagemaker:ListTags'],
          resources: [stack.formatArn({ service: 'sagemaker', resource: 'space', resourceName: `${domainId}/*` })],
        }),
        new iam.PolicyStatement({
          sid: 'TagNfsSecurityGroupsOfThisDomain',
          actions: ['ec2:CreateTags'],
          resources: [arn('ec2', 'security-group')],
          conditions: {
            'StringEquals': {
              ...inVpc,
              [`aws:ResourceTag/${SAGEMAKER_MANAGED_TAG}`]: domainArn,
              [`aws:RequestTag/${DOMAIN_TEARDOWN_TAG}`]: this.tagValue,
            },
            'ForAllValues:StringEquals': { 'aws:TagKeys': [DOMAIN_TEARDOWN_TAG, DOMAIN_ID_TAG, HOME_EFS_TAG] },
          },
        }),
        new iam.PolicyStatement({
          sid: 'TagHomeFileSystemOfThisDomain',
          actions: ['elasticfilesystem:TagResource'],
          resources: [arn('elasticfilesystem', 'file-system')],
          conditions: {
            'StringEquals': {
              [`aws:ResourceTag/${SAGEMAKER_MANAGED_TAG}`]: domainArn,
              [`aws:RequestTag/${DOMAIN_TEARDOWN_TAG}`]: this.tagValue,
            },
            'ForAllValues:StringEquals': { 'aws:TagKeys': [DOMAIN_TEARDOWN_TAG, DOMAIN_ID_TAG] },
          },
        }),
      ],
      wildcardAcknowledgment: 'DOMAIN_TEARDOWN_WILDCARDS',
    });

    const taggedByThisTeardown = { [`aws:ResourceTag/${DOMAIN_TEARDOWN_TAG}`]: this.tagValue };
    const fileSystemActions = ['elasticfilesystem:DescribeMountTargets', 'elasticfilesystem:DeleteMountTarget'];
    if (deleteFileSystem) fileSystemActions.push('elasticfilesystem:DeleteFileSystem');
    this.afterDomainDeletion = provider.createResource(this, 'AfterDomainDeletion', {
      properties: {
        Phase: 'AfterDomainDeletion',
        VpcId: domain.vpcId,
        // referenced so that CloudFormation deletes the subnets only after this cleanup: the mount
        // targets' network interfaces are in them
        SubnetIds: domain.subnetIds,
        TeardownTag: this.tagValue,
        DeleteHomeFileSystem: deleteFileSystem,
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'FindTaggedSecurityGroups',
          // no resource-level permissions: the handler filters by VPC and tag
          actions: ['ec2:DescribeSecurityGroups'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'DeleteTaggedNfsSecurityGroups',
          actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:DeleteSecurityGroup'],
          resources: [arn('ec2', 'security-group')],
          conditions: { StringEquals: { ...inVpc, ...taggedByThisTeardown } },
        }),
        new iam.PolicyStatement({
          sid: 'CleanUpTaggedHomeFileSystem',
          actions: fileSystemActions,
          resources: [arn('elasticfilesystem', 'file-system')],
          conditions: { StringEquals: taggedByThisTeardown },
        }),
        new iam.PolicyStatement({
          // DeleteMountTarget also needs this on the mount target's network interface (EFS API reference)
          sid: 'DeleteMountTargetInterfaces',
          actions: ['ec2:DeleteNetworkInterface'],
          resources: [arn('ec2', 'network-interface')],
          conditions: { StringEquals: inVpc },
        }),
      ],
      wildcardAcknowledgment: 'DOMAIN_TEARDOWN_WILDCARDS',
    });

    // the domain is deleted before this resource, and created after it
    domain.node.addDependency(this.afterDomainDeletion);
  }

  /**
   * Makes the app and space deletion run before these are deleted: pass every user profile and space
   * of the domain (CloudFormation deletes a resource before the resources it depends on).
   */
  public runBeforeDeletionOf(...resources: IDependable[]): void {
    this.beforeDomainDeletion.node.addDependency(...resources);
  }
}
