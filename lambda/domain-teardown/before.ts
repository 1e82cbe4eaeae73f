/**
 * The "before" step: runs while the domain and its user profiles still exist (the custom resource
 * depends on them, so CloudFormation deletes it first).
 *
 * - Create/Update: tags the domain's SageMaker-created NFS security groups and home EFS with the
 *   teardown tags (the hand-off to the "after" step); no other change.
 * - Delete (onEvent): tags again, then starts deleting every app of the domain.
 * - Delete (isComplete): keeps deleting apps until none is left but Deleted or Failed ones, then
 *   deletes the spaces CloudFormation does not manage and waits until they are gone.
 */
// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { CreateTagsCommand, DescribeSecurityGroupsCommand, SecurityGroup } from '@aws-sdk/client-ec2';
import { TagResourceCommand } from '@aws-sdk/client-efs';
import {
  AppDetails,
  DeleteAppCommand,
  DeleteSpaceCommand,
  DescribeDomainCommand,
  DescribeDomainCommandOutput,
  ListAppsCommand,
  ListSpacesCommand,
  ListTagsCommand,
  SpaceDetails,
} from '@aws-sdk/client-sagemaker';
import {
  CLOUDFORMATION_STACK_TAG,
  CustomResourceEvent,
  DOMAIN_ID_TAG,
  HOME_EFS_TAG,
  IsCompleteResult,
  OnEventResult,
  requiredString,
  TEARDOWN_TAG,
  TeardownContext,
} from './types';
import { errorMessage, errorName, withRetry } from '../shared/retry';

/** App states that need no DeleteApp: gone, going, or failed (a failed app cannot be deleted and does not block). */
const APP_DONE = new Set(['Deleted', 'Failed']);
const APP_DELETING = 'Deleting';

/** The physical ID: a new domain ID means a new resource, so CloudFormation sends Delete for the old domain. */
export function beforePhysicalId(domainId: string): string {
  return `${domainId}:before-domain-deletion`;
}

export async function beforeOnEvent(event: CustomResourceEvent, ctx: TeardownContext): Promise<OnEventResult> {
  const props = event.ResourceProperties;
  const domainId = requiredString(props, 'DomainId');
  const tagValue = requiredString(props, 'TeardownTag');
  const physicalId = beforePhysicalId(domainId);

  if (event.RequestType !== 'Delete') {
    const domain = await describeDomain(ctx, domainId);
    if (!domain) throw new Error(`Domain ${domainId} does not exist`);
    const tagged = await tagDomainResources(ctx, domain, tagValue);
    return {
      PhysicalResourceId: physicalId,
      Data: {
        DomainId: domainId,
        HomeEfsFileSystemId: domain.HomeEfsFileSystemId ?? '',
        NfsSecurityGroupIds: tagged.join(','),
      },
    };
  }

  // Delete of the resource for another domain ID (after a replacement) uses the old properties: right domain.
  const domain = await describeDomain(ctx, domainId);
  if (!domain) {
    ctx.log?.('domain already deleted: nothing to tear down', { domainId });
    return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId, TeardownDone: true };
  }
  try {
    await tagDomainResources(ctx, domain, tagValue);
  } catch (error) {
    // tagged at Create already; a failure here must not keep the stack from deleting
    ctx.log?.('could not re-tag the domain resources', { domainId, error: errorMessage(error) });
  }
  const started = await deleteApps(ctx, domainId, await listApps(ctx, domainId));
  ctx.log?.('app deletion started', { domainId, apps: started });
  return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId };
}

export async function beforeIsComplete(event: CustomResourceEvent, ctx: TeardownContext): Promise<IsCompleteResult> {
  if (event.RequestType !== 'Delete' || event.TeardownDone === true) return { IsComplete: true };
  const domainId = requiredString(event.ResourceProperties, 'DomainId');

  const apps = await listApps(ctx, domainId);
  await deleteApps(ctx, domainId, apps);
  const remaining = apps.filter((a) => !APP_DONE.has(a.Status ?? ''));
  if (remaining.length > 0) {
    ctx.log?.('waiting for apps to be deleted', { domainId, apps: remaining.map(appLabel) });
    return { IsComplete: false };
  }

  const spaces = await listSpaces(ctx, domainId);
  const pending: string[] = [];
  for (const space of spaces) {
    const name = space.SpaceName!;
    const owner = await spaceOwner(ctx, spaceArn(event, domainId, name));
    if (owner !== 'unmanaged') continue;
    if (space.Status === 'Delete_Failed') {
      throw new Error(`Space ${name} of domain ${domainId} failed to delete; delete it in the SageMaker console and retry`);
    }
    pending.push(name);
    if (space.Status === 'Deleting') continue;
    await ignoring(['ResourceNotFound', 'ResourceInUse'], () => withRetry(
      () => ctx.sagemaker.send(new DeleteSpaceCommand({ DomainId: domainId, SpaceName: name })), ctx.retry));
  }
  if (pending.length > 0) {
    ctx.log?.('waiting for spaces to be deleted', { domainId, spaces: pending });
    return { IsComplete: false };
  }
  return { IsComplete: true };
}

/** The ARN of a space, from the domain ARN the construct passes (same partition, Region and account). */
function spaceArn(event: CustomResourceEvent, domainId: string, spaceName: string): string {
  const domainArn = requiredString(event.ResourceProperties, 'DomainArn');
  return domainArn.replace(/:domain\/[^/]+$/, `:space/${domainId}/${spaceName}`);
}

async function describeDomain(ctx: TeardownContext, domainId: string): Promise<DescribeDomainCommandOutput | undefined> {
  try {
    return await withRetry(() => ctx.sagemaker.send(new DescribeDomainCommand({ DomainId: domainId })), ctx.retry);
  } catch (error) {
    if (errorName(error) === 'ResourceNotFound') return undefined;
    throw error;
  }
}

/**
 * Tags the domain's NFS security groups (found by the names SageMaker gives them, in the domain's VPC)
 * and its home EFS. Returns the security group IDs.
 */
async function tagDomainResources(ctx: TeardownContext, domain: DescribeDomainCommandOutput, tagValue: string): Promise<string[]> {
  const domainId = domain.DomainId!;
  const efsId = domain.HomeEfsFileSystemId;
  const groups = await nfsSecurityGroups(ctx, domainId, domain.VpcId);
  const tags = [
    { Key: TEARDOWN_TAG, Value: tagValue },
    { Key: DOMAIN_ID_TAG, Value: domainId },
    ...(efsId ? [{ Key: HOME_EFS_TAG, Value: efsId }] : []),
  ];
  const ids = groups.map((g) => g.GroupId!);
  if (ids.length > 0) {
    await withRetry(() => ctx.ec2.send(new CreateTagsCommand({ Resources: ids, Tags: tags })), ctx.retry);
  }
  if (efsId) {
    await withRetry(() => ctx.efs.send(new TagResourceCommand({
      ResourceId: efsId,
      Tags: [{ Key: TEARDOWN_TAG, Value: tagValue }, { Key: DOMAIN_ID_TAG, Value: domainId }],
    })), ctx.retry);
  }
  return ids;
}

/** The `security-group-for-inbound-nfs-<domainId>` and `security-group-for-outbound-nfs-<domainId>` groups. */
async function nfsSecurityGroups(ctx: TeardownContext, domainId: string, vpcId: string | undefined): Promise<SecurityGroup[]> {
  const filters = [{ Name: 'group-name', Values: nfsSecurityGroupNames(domainId) }];
  if (vpcId) filters.push({ Name: 'vpc-id', Values: [vpcId] });
  const result = await withRetry(() => ctx.ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters })), ctx.retry);
  return result.SecurityGroups ?? [];
}

export function nfsSecurityGroupNames(domainId: string): string[] {
  return [`security-group-for-inbound-nfs-${domainId}`, `security-group-for-outbound-nfs-${domainId}`];
}

async function listApps(ctx: TeardownContext, domainId: string): Promise<AppDetails[]> {
  const apps: AppDetails[] = [];
  let token: string | undefined;
  do {
    const page = await withRetry(
      () => ctx.sagemaker.send(new ListAppsCommand({ DomainIdEquals: domainId, NextToken: token, MaxResults: 100 })), ctx.retry);
    apps.push(...(page.Apps ?? []));
    token = page.NextToken;
  } while (token);
  return apps;
}

async function listSpaces(ctx: TeardownContext, domainId: string): Promise<SpaceDetails[]> {
  const spaces: SpaceDetails[] = [];
  let token: string | undefined;
  do {
    const page = await withRetry(
      () => ctx.sagemaker.send(new ListSpacesCommand({ DomainIdEquals: domainId, NextToken: token, MaxResults: 100 })), ctx.retry);
    spaces.push(...(page.Spaces ?? []));
    token = page.NextToken;
  } while (token);
  return spaces;
}

/** Requests deletion of every app that is not deleted, deleting or failed; returns their labels. */
async function deleteApps(ctx: TeardownContext, domainId: string, apps: AppDetails[]): Promise<string[]> {
  const started: string[] = [];
  for (const app of apps) {
    if (APP_DONE.has(app.Status ?? '') || app.Status === APP_DELETING) continue;
    // ResourceInUse: the app is still starting (Pending); the next isComplete call retries it
    await ignoring(['ResourceNotFound', 'ResourceInUse'], () => withRetry(() => ctx.sagemaker.send(new DeleteAppCommand({
      DomainId: domainId,
      AppType: app.AppType,
      AppName: app.AppName,
      UserProfileName: app.SpaceName ? undefined : app.UserProfileName,
      SpaceName: app.SpaceName,
    })), ctx.retry));
    started.push(appLabel(app));
  }
  return started;
}

function appLabel(app: AppDetails): string {
  return `${app.SpaceName ?? app.UserProfileName}/${app.AppType}/${app.AppName} (${app.Status})`;
}

/** Whether a CloudFormation stack manages the space (its stack tag), nobody does, or it is already gone. */
async function spaceOwner(ctx: TeardownContext, arn: string): Promise<'cloudformation' | 'unmanaged' | 'gone'> {
  let token: string | undefined;
  do {
    let page;
    try {
      page = await withRetry(() => ctx.sagemaker.send(new ListTagsCommand({ ResourceArn: arn, NextToken: token })), ctx.retry);
    } catch (error) {
      if (errorName(error) === 'ResourceNotFound') return 'gone';
      throw error;
    }
    if ((page.Tags ?? []).some((t) => t.Key === CLOUDFORMATION_STACK_TAG)) return 'cloudformation';
    token = page.NextToken;
  } while (token);
  return 'unmanaged';
}

/** Runs `call`, treating the named errors as success. */
export async function ignoring<T>(names: string[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (names.includes(errorName(error))) return undefined;
    throw error;
  }
}
