/**
 * The "after" step: runs once the domain is gone (the domain depends on this custom resource, so
 * CloudFormation deletes the domain first). It cannot reference the domain; it finds what to clean up
 * through the tags the "before" step wrote: the security groups in the VPC tagged with this teardown's
 * tag value, and the home EFS IDs recorded on them.
 *
 * - Create/Update: nothing to do.
 * - Delete (onEvent): finds the tagged security groups and the home file systems.
 * - Delete (isComplete): deletes the file systems' mount targets (their network interfaces use the
 *   inbound NFS group and sit in the VPC's subnets), deletes the file systems when the user opted in,
 *   revokes the groups' rules that reference other groups (the inbound and outbound NFS groups refer
 *   to each other), and deletes the groups; repeats until all are gone. Network interfaces of deleted
 *   apps and mount targets take a while to be released, so DependencyViolation means "not yet".
 */
// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import {
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  IpPermission,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  SecurityGroup,
} from '@aws-sdk/client-ec2';
import { DeleteFileSystemCommand, DeleteMountTargetCommand, DescribeMountTargetsCommand, MountTargetDescription } from '@aws-sdk/client-efs';
import { ignoring } from './before';
import {
  booleanProperty,
  CustomResourceEvent,
  DOMAIN_ID_TAG,
  HOME_EFS_TAG,
  IsCompleteResult,
  OnEventResult,
  requiredString,
  TEARDOWN_TAG,
  TeardownContext,
} from './types';
import { errorName, withRetry } from '../shared/retry';

export function afterPhysicalId(tagValue: string): string {
  return `${tagValue}:after-domain-deletion`;
}

export async function afterOnEvent(event: CustomResourceEvent, ctx: TeardownContext): Promise<OnEventResult> {
  const props = event.ResourceProperties;
  const tagValue = requiredString(props, 'TeardownTag');
  const vpcId = requiredString(props, 'VpcId');
  const physicalId = event.PhysicalResourceId ?? afterPhysicalId(tagValue);
  const data = { TeardownTagKey: TEARDOWN_TAG, TeardownTagValue: tagValue };
  if (event.RequestType !== 'Delete') return { PhysicalResourceId: physicalId, Data: data };

  const groups = await taggedGroups(ctx, vpcId, tagValue);
  const fileSystemIds = unique(groups.map((g) => tag(g, HOME_EFS_TAG)).filter((id): id is string => !!id));
  const domainIds = unique(groups.map((g) => tag(g, DOMAIN_ID_TAG)).filter((id): id is string => !!id));
  ctx.log?.('cleaning up after domain deletion', { vpcId, domainIds, securityGroups: groups.map((g) => g.GroupId), fileSystemIds });
  return { PhysicalResourceId: physicalId, FileSystemIds: fileSystemIds };
}

export async function afterIsComplete(event: CustomResourceEvent, ctx: TeardownContext): Promise<IsCompleteResult> {
  if (event.RequestType !== 'Delete') return { IsComplete: true };
  const props = event.ResourceProperties;
  const tagValue = requiredString(props, 'TeardownTag');
  const vpcId = requiredString(props, 'VpcId');
  const deleteFileSystems = booleanProperty(props, 'DeleteHomeFileSystem');
  const fileSystemIds = Array.isArray(event.FileSystemIds) ? (event.FileSystemIds as string[]) : [];

  let pending = false;
  for (const fileSystemId of fileSystemIds) {
    if (!await cleanUpFileSystem(ctx, fileSystemId, deleteFileSystems)) pending = true;
  }

  const groups = await taggedGroups(ctx, vpcId, tagValue);
  for (const group of groups) await revokeGroupReferences(ctx, group);
  for (const group of groups) {
    try {
      await withRetry(() => ctx.ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId })), ctx.retry);
    } catch (error) {
      const name = errorName(error);
      if (name === 'InvalidGroup.NotFound') continue;
      if (name !== 'DependencyViolation') throw error;
      ctx.log?.('security group still in use (network interfaces not released yet, or referenced by another group)', { groupId: group.GroupId });
      pending = true;
    }
  }
  return { IsComplete: !pending };
}

/**
 * Deletes the mount targets of a home file system and, when opted in, the file system.
 * Returns true when nothing is left to wait for.
 */
async function cleanUpFileSystem(ctx: TeardownContext, fileSystemId: string, deleteFileSystem: boolean): Promise<boolean> {
  let mountTargets: MountTargetDescription[];
  try {
    const described = await withRetry(() => ctx.efs.send(new DescribeMountTargetsCommand({ FileSystemId: fileSystemId })), ctx.retry);
    mountTargets = described.MountTargets ?? [];
  } catch (error) {
    if (errorName(error) === 'FileSystemNotFound') return true;
    throw error;
  }
  for (const target of mountTargets) {
    if (target.LifeCycleState === 'deleting' || target.LifeCycleState === 'deleted') continue;
    await ignoring(['MountTargetNotFound'], () => withRetry(
      () => ctx.efs.send(new DeleteMountTargetCommand({ MountTargetId: target.MountTargetId })), ctx.retry));
  }
  const remaining = mountTargets.filter((t) => t.LifeCycleState !== 'deleted');
  if (remaining.length > 0) {
    ctx.log?.('waiting for mount targets to be deleted', { fileSystemId, mountTargets: remaining.map((t) => t.MountTargetId) });
    return false;
  }
  if (!deleteFileSystem) {
    ctx.log?.('home file system kept (homeFileSystemRemovalPolicy is not DESTROY)', { fileSystemId });
    return true;
  }
  try {
    await withRetry(() => ctx.efs.send(new DeleteFileSystemCommand({ FileSystemId: fileSystemId })), ctx.retry);
    ctx.log?.('home file system deleted', { fileSystemId });
    return true;
  } catch (error) {
    const name = errorName(error);
    if (name === 'FileSystemNotFound') return true;
    if (name === 'FileSystemInUse') return false;
    throw error;
  }
}

/** Revokes the rules of `group` that name other security groups, so the groups can be deleted in any order. */
async function revokeGroupReferences(ctx: TeardownContext, group: SecurityGroup): Promise<void> {
  const ingress = referencingRules(group.IpPermissions);
  const egress = referencingRules(group.IpPermissionsEgress);
  const notFound = ['InvalidPermission.NotFound', 'InvalidGroup.NotFound'];
  if (ingress.length > 0) {
    await ignoring(notFound, () => withRetry(
      () => ctx.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: ingress })), ctx.retry));
  }
  if (egress.length > 0) {
    await ignoring(notFound, () => withRetry(
      () => ctx.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: group.GroupId, IpPermissions: egress })), ctx.retry));
  }
}

/** The group-to-group parts of rules (CIDR and prefix-list parts stay: they block nothing). */
function referencingRules(rules: IpPermission[] | undefined): IpPermission[] {
  return (rules ?? [])
    .filter((r) => (r.UserIdGroupPairs ?? []).length > 0)
    .map((r) => ({
      IpProtocol: r.IpProtocol,
      FromPort: r.FromPort,
      ToPort: r.ToPort,
      UserIdGroupPairs: (r.UserIdGroupPairs ?? []).map((p) => ({ GroupId: p.GroupId, UserId: p.UserId })),
    }));
}

async function taggedGroups(ctx: TeardownContext, vpcId: string, tagValue: string): Promise<SecurityGroup[]> {
  const groups: SecurityGroup[] = [];
  let token: string | undefined;
  do {
    const page = await withRetry(() => ctx.ec2.send(new DescribeSecurityGroupsCommand({
      Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: `tag:${TEARDOWN_TAG}`, Values: [tagValue] }],
      NextToken: token,
    })), ctx.retry);
    groups.push(...(page.SecurityGroups ?? []));
    token = page.NextToken;
  } while (token);
  return groups;
}

function tag(group: SecurityGroup, key: string): string | undefined {
  return group.Tags?.find((t) => t.Key === key)?.Value;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
