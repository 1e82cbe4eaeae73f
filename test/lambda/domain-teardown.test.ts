import {
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  TagResourceCommand,
} from '@aws-sdk/client-efs';
import {
  DeleteAppCommand,
  DeleteSpaceCommand,
  DescribeDomainCommand,
  ListAppsCommand,
  ListSpacesCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { isComplete, onEvent } from '../../lambda/domain-teardown/handler';
import { handler as isCompleteEntry } from '../../lambda/domain-teardown/is-complete.lambda';
import { handler as onEventEntry } from '../../lambda/domain-teardown/on-event.lambda';
import {
  CustomResourceEvent,
  DOMAIN_ID_TAG,
  HOME_EFS_TAG,
  TEARDOWN_TAG,
  TeardownContext,
} from '../../lambda/domain-teardown/types';
import { errorName, isThrottling, withRetry } from '../../lambda/shared/retry';

const DOMAIN_ID = 'd-abcdefghijkl';
const DOMAIN_ARN = `arn:aws:sagemaker:us-east-1:123456789012:domain/${DOMAIN_ID}`;
const VPC_ID = 'vpc-0123456789abcdef0';
const EFS_ID = 'fs-0123456789abcdef0';
const TAG_VALUE = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Platform/11111111-2222-3333-4444-555555555555/EE12DDF2';
const INBOUND = 'sg-0123456789abcdef1';
const OUTBOUND = 'sg-0123456789abcdef2';

/** An error as the AWS SDK throws it. */
function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

function context() {
  const sagemaker = new SageMakerClient({ region: 'us-east-1' });
  const ec2 = new EC2Client({ region: 'us-east-1' });
  const efs = new EFSClient({ region: 'us-east-1' });
  const sleeps: number[] = [];
  const logs: string[] = [];
  const ctx: TeardownContext = {
    sagemaker,
    ec2,
    efs,
    retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async (ms) => { sleeps.push(ms); } },
    log: (message) => { logs.push(message); },
  };
  return { ctx, sm: mockClient(sagemaker), ec2: mockClient(ec2), efs: mockClient(efs), sleeps, logs };
}

const beforeProps = { Phase: 'BeforeDomainDeletion', DomainId: DOMAIN_ID, DomainArn: DOMAIN_ARN, TeardownTag: TAG_VALUE };
const afterProps = { Phase: 'AfterDomainDeletion', VpcId: VPC_ID, TeardownTag: TAG_VALUE, DeleteHomeFileSystem: 'false' };

function event(requestType: 'Create' | 'Update' | 'Delete', properties: { [key: string]: unknown }, extra: { [key: string]: unknown } = {}): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResourceProperties: properties,
    PhysicalResourceId: requestType === 'Create' ? undefined : 'existing-physical-id',
    ...extra,
  };
}

const domain = { DomainId: DOMAIN_ID, DomainArn: DOMAIN_ARN, VpcId: VPC_ID, HomeEfsFileSystemId: EFS_ID, Status: 'InService' as const };
const nfsGroups = [
  { GroupId: INBOUND, GroupName: `security-group-for-inbound-nfs-${DOMAIN_ID}` },
  { GroupId: OUTBOUND, GroupName: `security-group-for-outbound-nfs-${DOMAIN_ID}` },
];

describe('domain teardown: before the domain is deleted', () => {
  describe('Create', () => {
    test('tags the NFS security groups and the home EFS, and returns the domain attributes', async () => {
      // GIVEN a domain with its SageMaker-created groups and file system
      const { ctx, sm, ec2, efs } = context();
      sm.on(DescribeDomainCommand, { DomainId: DOMAIN_ID }).resolves(domain);
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: nfsGroups });
      ec2.on(CreateTagsCommand).resolves({});
      efs.on(TagResourceCommand).resolves({});

      // WHEN
      const result = await onEvent(event('Create', beforeProps), ctx);

      // THEN
      expect(result).toEqual({
        PhysicalResourceId: `${DOMAIN_ID}:before-domain-deletion`,
        Data: { DomainId: DOMAIN_ID, HomeEfsFileSystemId: EFS_ID, NfsSecurityGroupIds: `${INBOUND},${OUTBOUND}` },
      });
      expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0].args[0].input.Filters).toEqual([
        { Name: 'group-name', Values: [`security-group-for-inbound-nfs-${DOMAIN_ID}`, `security-group-for-outbound-nfs-${DOMAIN_ID}`] },
        { Name: 'vpc-id', Values: [VPC_ID] },
      ]);
      expect(ec2.commandCalls(CreateTagsCommand)[0].args[0].input).toEqual({
        Resources: [INBOUND, OUTBOUND],
        Tags: [{ Key: TEARDOWN_TAG, Value: TAG_VALUE }, { Key: DOMAIN_ID_TAG, Value: DOMAIN_ID }, { Key: HOME_EFS_TAG, Value: EFS_ID }],
      });
      expect(efs.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
        ResourceId: EFS_ID,
        Tags: [{ Key: TEARDOWN_TAG, Value: TAG_VALUE }, { Key: DOMAIN_ID_TAG, Value: DOMAIN_ID }],
      });
      expect(sm.commandCalls(ListAppsCommand)).toHaveLength(0);
    });

    test('fails when the domain does not exist', async () => {
      const { ctx, sm } = context();
      sm.on(DescribeDomainCommand).rejects(awsError('ResourceNotFound'));
      await expect(onEvent(event('Create', beforeProps), ctx)).rejects.toThrow(`Domain ${DOMAIN_ID} does not exist`);
    });

    test('fails when tagging is denied (the teardown would not find the resources later)', async () => {
      const { ctx, sm, ec2 } = context();
      sm.on(DescribeDomainCommand).resolves(domain);
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: nfsGroups });
      ec2.on(CreateTagsCommand).rejects(awsError('UnauthorizedOperation'));
      await expect(onEvent(event('Create', beforeProps), ctx)).rejects.toThrow('UnauthorizedOperation');
    });

    test('isComplete is immediately true', async () => {
      const { ctx, sm } = context();
      await expect(isComplete(event('Create', beforeProps), ctx)).resolves.toEqual({ IsComplete: true });
      expect(sm.calls()).toHaveLength(0);
    });
  });

  describe('Update', () => {
    test('a new domain ID gives a new physical ID, so CloudFormation deletes the old one with the old domain', async () => {
      const { ctx, sm, ec2, efs } = context();
      sm.on(DescribeDomainCommand).resolves({ ...domain, DomainId: 'd-newnewnewnew' });
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
      efs.on(TagResourceCommand).resolves({});
      const result = await onEvent(event('Update', { ...beforeProps, DomainId: 'd-newnewnewnew' }, { OldResourceProperties: beforeProps }), ctx);
      expect(result.PhysicalResourceId).toBe('d-newnewnewnew:before-domain-deletion');
      expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
    });
  });

  describe('Delete', () => {
    test('deletes every app except failed, deleted and deleting ones', async () => {
      // GIVEN apps in every state, private (user profile) and in spaces
      const { ctx, sm, ec2, efs } = context();
      sm.on(DescribeDomainCommand).resolves(domain);
      ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: nfsGroups });
      ec2.on(CreateTagsCommand).resolves({});
      efs.on(TagResourceCommand).resolves({});
      sm.on(ListAppsCommand).resolves({
        Apps: [
          { DomainId: DOMAIN_ID, UserProfileName: 'alice', AppType: 'JupyterServer', AppName: 'default', Status: 'InService' },
          { DomainId: DOMAIN_ID, SpaceName: 'team-space', AppType: 'JupyterLab', AppName: 'default', Status: 'InService' },
          { DomainId: DOMAIN_ID, UserProfileName: 'bob', AppType: 'KernelGateway', AppName: 'broken', Status: 'Failed' },
          { DomainId: DOMAIN_ID, UserProfileName: 'bob', AppType: 'JupyterServer', AppName: 'default', Status: 'Deleted' },
          { DomainId: DOMAIN_ID, UserProfileName: 'carol', AppType: 'JupyterServer', AppName: 'default', Status: 'Deleting' },
        ],
      });
      sm.on(DeleteAppCommand).resolves({});

      // WHEN
      const result = await onEvent(event('Delete', beforeProps), ctx);

      // THEN
      expect(result).toEqual({ PhysicalResourceId: 'existing-physical-id' });
      expect(sm.commandCalls(DeleteAppCommand).map((c) => c.args[0].input)).toEqual([
        { DomainId: DOMAIN_ID, UserProfileName: 'alice', AppType: 'JupyterServer', AppName: 'default', SpaceName: undefined },
        { DomainId: DOMAIN_ID, UserProfileName: undefined, SpaceName: 'team-space', AppType: 'JupyterLab', AppName: 'default' },
      ]);
      expect(sm.commandCalls(ListAppsCommand)[0].args[0].input).toEqual(expect.objectContaining({ DomainIdEquals: DOMAIN_ID }));
    });

    test('succeeds without calls when the domain is already gone', async () => {
      const { ctx, sm } = context();
      sm.on(DescribeDomainCommand).rejects(awsError('ResourceNotFound'));
      const result = await onEvent(event('Delete', beforeProps), ctx);
      expect(result).toEqual({ PhysicalResourceId: 'existing-physical-id', TeardownDone: true });
      await expect(isComplete(event('Delete', beforeProps, result), ctx)).resolves.toEqual({ IsComplete: true });
      expect(sm.commandCalls(ListAppsCommand)).toHaveLength(0);
    });

    test('does not fail when re-tagging fails (the resources were tagged at Create)', async () => {
      const { ctx, sm, ec2, logs } = context();
      sm.on(DescribeDomainCommand).resolves(domain);
      ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('UnauthorizedOperation'));
      sm.on(ListAppsCommand).resolves({ Apps: [] });
      await expect(onEvent(event('Delete', beforeProps), ctx)).resolves.toEqual({ PhysicalResourceId: 'existing-physical-id' });
      expect(logs).toContain('could not re-tag the domain resources');
    });

    test('retries throttled calls and then succeeds', async () => {
      const { ctx, sm, ec2, efs, sleeps } = context();
      sm.on(DescribeDomainCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves(domain);
      ec2.on(DescribeSecurityGroupsCommand).rejectsOnce(awsError('RequestLimitExceeded')).resolves({ SecurityGroups: [] });
      efs.on(TagResourceCommand).resolves({});
      sm.on(ListAppsCommand).resolves({ Apps: [{ DomainId: DOMAIN_ID, UserProfileName: 'alice', AppType: 'JupyterLab', AppName: 'default', Status: 'InService' }] });
      sm.on(DeleteAppCommand).rejectsOnce(awsError('ThrottlingException')).rejectsOnce(awsError('ThrottlingException')).resolves({});
      await onEvent(event('Delete', beforeProps), ctx);
      expect(sm.commandCalls(DeleteAppCommand)).toHaveLength(3);
      expect(sleeps).toHaveLength(4);
    });

    test('gives up after the retry budget and reports the throttling error', async () => {
      const { ctx, sm } = context();
      sm.on(DescribeDomainCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
      await expect(onEvent(event('Delete', beforeProps), ctx)).rejects.toThrow('Rate exceeded');
      expect(sm.commandCalls(DescribeDomainCommand)).toHaveLength(4);
    });
  });

  describe('Delete: isComplete', () => {
    const deleting = event('Delete', beforeProps, { PhysicalResourceId: `${DOMAIN_ID}:before-domain-deletion` });

    test('is not complete while apps are still deleting (until the provider\'s totalTimeout fails the operation), and does not touch spaces yet', async () => {
      const { ctx, sm } = context();
      sm.on(ListAppsCommand).resolves({ Apps: [{ UserProfileName: 'alice', AppType: 'JupyterLab', AppName: 'default', Status: 'Deleting' }] });
      await expect(isComplete(deleting, ctx)).resolves.toEqual({ IsComplete: false });
      expect(sm.commandCalls(DeleteAppCommand)).toHaveLength(0);
      expect(sm.commandCalls(ListSpacesCommand)).toHaveLength(0);
    });

    test('retries apps that were still starting (ResourceInUse) and waits for them', async () => {
      const { ctx, sm } = context();
      sm.on(ListAppsCommand).resolves({ Apps: [{ UserProfileName: 'alice', AppType: 'JupyterLab', AppName: 'default', Status: 'Pending' }] });
      sm.on(DeleteAppCommand).rejects(awsError('ResourceInUse'));
      await expect(isComplete(deleting, ctx)).resolves.toEqual({ IsComplete: false });
      expect(sm.commandCalls(DeleteAppCommand)).toHaveLength(1);
    });

    test('reads every page of apps', async () => {
      const { ctx, sm } = context();
      sm.on(ListAppsCommand, { NextToken: undefined }).resolves({ Apps: [{ UserProfileName: 'a', AppType: 'JupyterLab', AppName: 'default', Status: 'Deleted' }], NextToken: 'page-2' });
      sm.on(ListAppsCommand, { NextToken: 'page-2' }).resolves({ Apps: [{ UserProfileName: 'b', AppType: 'JupyterLab', AppName: 'default', Status: 'Deleting' }] });
      await expect(isComplete(deleting, ctx)).resolves.toEqual({ IsComplete: false });
      expect(sm.commandCalls(ListAppsCommand)).toHaveLength(2);
    });

    test('once apps are gone or failed, deletes the spaces CloudFormation does not manage, then completes', async () => {
      // GIVEN only deleted and failed apps, a CloudFormation-managed space and a space created in Studio
      const { ctx, sm } = context();
      sm.on(ListAppsCommand).resolves({
        Apps: [
          { UserProfileName: 'alice', AppType: 'JupyterLab', AppName: 'default', Status: 'Deleted' },
          { UserProfileName: 'bob', AppType: 'JupyterLab', AppName: 'broken', Status: 'Failed' },
        ],
      });
      sm.on(ListSpacesCommand)
        .resolvesOnce({ Spaces: [{ SpaceName: 'managed', Status: 'InService' }, { SpaceName: 'adhoc', Status: 'InService' }] })
        .resolves({ Spaces: [{ SpaceName: 'managed', Status: 'InService' }] });
      sm.on(ListTagsCommand, { ResourceArn: `arn:aws:sagemaker:us-east-1:123456789012:space/${DOMAIN_ID}/managed` })
        .resolves({ Tags: [{ Key: 'aws:cloudformation:stack-id', Value: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Platform/x' }] });
      sm.on(ListTagsCommand, { ResourceArn: `arn:aws:sagemaker:us-east-1:123456789012:space/${DOMAIN_ID}/adhoc` })
        .resolves({ Tags: [{ Key: 'sagemaker:domain-arn', Value: DOMAIN_ARN }] });
      sm.on(DeleteSpaceCommand).resolves({});

      // WHEN / THEN the first poll deletes the unmanaged space and waits for it
      await expect(isComplete(deleting, ctx)).resolves.toEqual({ IsComplete: false });
      expect(sm.commandCalls(DeleteAppCommand)).toHaveLength(0);
      expect(sm.commandCalls(DeleteSpaceCommand).map((c) => c.args[0].input)).toEqual([{ DomainId: DOMAIN_ID, SpaceName: 'adhoc' }]);

      // and the next one completes when only the managed space is left
      await expect(isComplete(deleting, ctx)).resolves.toEqual({ IsComplete: true });
      expect(sm.commandCalls(DeleteSpaceCommand)).toHaveLength(1);
    });

    test('waits for spaces already deleting without deleting them again; skips spaces already gone', async () => {
      const { ctx, sm } = context();
      sm.on(ListAppsCommand).resolves({ Apps: [] });
      sm.on(ListSpacesCommand).resolves({ Spaces: [{ SpaceName: 'going', Status: 'Deleting' }, { SpaceName: 'gone', Status: 'InService' }] });
      sm.on(ListTagsCommand, { ResourceArn: `arn:aws:sagemaker:us-east-1:123456789012:space/${DOMAIN_ID}/going` }).resolves({ Tags: [] });
      sm.on(ListTagsCommand, { ResourceArn: `arn:aws:sagemaker:us-east-1:123456789012:space/${DOMAIN_ID}/gone` }).rejects(awsError('ResourceNotFound'));
      await expect(isComplete(deleting, ctx)).resolves.toEqual({ IsComplete: false });
      expect(sm.commandCalls(DeleteSpaceCommand)).toHaveLength(0);
    });

    test('fails with a clear message when a space failed to delete', async () => {
      const { ctx, sm } = context();
      sm.on(ListAppsCommand).resolves({ Apps: [] });
      sm.on(ListSpacesCommand).resolves({ Spaces: [{ SpaceName: 'stuck', Status: 'Delete_Failed' }] });
      sm.on(ListTagsCommand).resolves({ Tags: [] });
      await expect(isComplete(deleting, ctx)).rejects.toThrow(`Space stuck of domain ${DOMAIN_ID} failed to delete`);
    });

    test('propagates unexpected errors (partial failure), so the waiter retries and then fails the stack operation', async () => {
      const { ctx, sm } = context();
      sm.on(ListAppsCommand).resolves({ Apps: [{ UserProfileName: 'alice', AppType: 'JupyterLab', AppName: 'default', Status: 'InService' }] });
      sm.on(DeleteAppCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform sagemaker:DeleteApp'));
      await expect(isComplete(deleting, ctx)).rejects.toThrow('not authorized to perform sagemaker:DeleteApp');
    });
  });
});

describe('domain teardown: after the domain is deleted', () => {
  const withReferences = [
    {
      GroupId: INBOUND,
      Tags: [{ Key: TEARDOWN_TAG, Value: TAG_VALUE }, { Key: DOMAIN_ID_TAG, Value: DOMAIN_ID }, { Key: HOME_EFS_TAG, Value: EFS_ID }],
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, UserIdGroupPairs: [{ GroupId: OUTBOUND, UserId: '123456789012', Description: 'nfs' }] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
      ],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    },
    {
      GroupId: OUTBOUND,
      Tags: [{ Key: TEARDOWN_TAG, Value: TAG_VALUE }, { Key: DOMAIN_ID_TAG, Value: DOMAIN_ID }, { Key: HOME_EFS_TAG, Value: EFS_ID }],
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, UserIdGroupPairs: [{ GroupId: INBOUND, UserId: '123456789012' }] }],
    },
  ];

  test('Create and Update change nothing and return the tag', async () => {
    const { ctx, ec2, efs } = context();
    await expect(onEvent(event('Create', afterProps), ctx)).resolves.toEqual({
      PhysicalResourceId: `${TAG_VALUE}:after-domain-deletion`,
      Data: { TeardownTagKey: TEARDOWN_TAG, TeardownTagValue: TAG_VALUE },
    });
    await expect(onEvent(event('Update', afterProps), ctx)).resolves.toEqual(expect.objectContaining({ PhysicalResourceId: 'existing-physical-id' }));
    await expect(isComplete(event('Update', afterProps), ctx)).resolves.toEqual({ IsComplete: true });
    expect(ec2.calls()).toHaveLength(0);
    expect(efs.calls()).toHaveLength(0);
  });

  test('Delete finds the tagged groups in the VPC and the home file systems recorded on them', async () => {
    const { ctx, ec2 } = context();
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: withReferences });
    const result = await onEvent(event('Delete', afterProps), ctx);
    expect(result).toEqual({ PhysicalResourceId: 'existing-physical-id', FileSystemIds: [EFS_ID] });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0].args[0].input.Filters).toEqual([
      { Name: 'vpc-id', Values: [VPC_ID] },
      { Name: `tag:${TEARDOWN_TAG}`, Values: [TAG_VALUE] },
    ]);
  });

  test('deletes the mount targets first and waits for them', async () => {
    const { ctx, ec2, efs } = context();
    efs.on(DescribeMountTargetsCommand).resolves({
      MountTargets: [
        { MountTargetId: 'fsmt-0123456789abcdef0', FileSystemId: EFS_ID, SubnetId: 'subnet-0123456789abcdef0', LifeCycleState: 'available' },
        { MountTargetId: 'fsmt-0123456789abcdef1', FileSystemId: EFS_ID, SubnetId: 'subnet-0123456789abcdef1', LifeCycleState: 'deleting' },
      ],
    });
    efs.on(DeleteMountTargetCommand).resolves({});
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: withReferences });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({});
    ec2.on(RevokeSecurityGroupEgressCommand).resolves({});
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('DependencyViolation'));
    await expect(isComplete(event('Delete', afterProps, { FileSystemIds: [EFS_ID] }), ctx)).resolves.toEqual({ IsComplete: false });
    expect(efs.commandCalls(DeleteMountTargetCommand).map((c) => c.args[0].input)).toEqual([{ MountTargetId: 'fsmt-0123456789abcdef0' }]);
    expect(efs.commandCalls(DeleteFileSystemCommand)).toHaveLength(0);
  });

  test('keeps the file system by default, revokes the cross-references and deletes both groups', async () => {
    const { ctx, ec2, efs } = context();
    efs.on(DescribeMountTargetsCommand).resolves({ MountTargets: [] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: withReferences });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({});
    ec2.on(RevokeSecurityGroupEgressCommand).resolves({});
    ec2.on(DeleteSecurityGroupCommand).resolves({});

    await expect(isComplete(event('Delete', afterProps, { FileSystemIds: [EFS_ID] }), ctx)).resolves.toEqual({ IsComplete: true });

    expect(efs.commandCalls(DeleteFileSystemCommand)).toHaveLength(0);
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([{
      GroupId: INBOUND,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, UserIdGroupPairs: [{ GroupId: OUTBOUND, UserId: '123456789012' }] }],
    }]);
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand).map((c) => c.args[0].input)).toEqual([{
      GroupId: OUTBOUND,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, UserIdGroupPairs: [{ GroupId: INBOUND, UserId: '123456789012' }] }],
    }]);
    expect(ec2.commandCalls(DeleteSecurityGroupCommand).map((c) => c.args[0].input.GroupId)).toEqual([INBOUND, OUTBOUND]);
  });

  test('deletes the file system only on opt-in, and waits while it is still in use', async () => {
    const { ctx, ec2, efs } = context();
    efs.on(DescribeMountTargetsCommand).resolves({ MountTargets: [] });
    efs.on(DeleteFileSystemCommand).rejectsOnce(awsError('FileSystemInUse')).resolves({});
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    const deleting = event('Delete', { ...afterProps, DeleteHomeFileSystem: 'true' }, { FileSystemIds: [EFS_ID] });
    await expect(isComplete(deleting, ctx)).resolves.toEqual({ IsComplete: false });
    await expect(isComplete(deleting, ctx)).resolves.toEqual({ IsComplete: true });
    expect(efs.commandCalls(DeleteFileSystemCommand).map((c) => c.args[0].input)).toEqual([{ FileSystemId: EFS_ID }, { FileSystemId: EFS_ID }]);
  });

  test('succeeds when everything is already gone', async () => {
    const { ctx, ec2, efs } = context();
    efs.on(DescribeMountTargetsCommand).rejects(awsError('FileSystemNotFound'));
    efs.on(DeleteFileSystemCommand).rejects(awsError('FileSystemNotFound'));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    const deleting = event('Delete', { ...afterProps, DeleteHomeFileSystem: true }, { FileSystemIds: [EFS_ID] });
    await expect(isComplete(deleting, ctx)).resolves.toEqual({ IsComplete: true });
    await expect(onEvent(event('Delete', afterProps), ctx)).resolves.toEqual({ PhysicalResourceId: 'existing-physical-id', FileSystemIds: [] });
  });

  test('treats groups deleted in the meantime as done, and rules already revoked as revoked', async () => {
    const { ctx, ec2 } = context();
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: withReferences });
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError('InvalidPermission.NotFound'));
    ec2.on(RevokeSecurityGroupEgressCommand).rejects(awsError('InvalidGroup.NotFound'));
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('InvalidGroup.NotFound'));
    await expect(isComplete(event('Delete', afterProps), ctx)).resolves.toEqual({ IsComplete: true });
  });

  test('retries throttled deletes', async () => {
    const { ctx, ec2, sleeps } = context();
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: INBOUND }] });
    ec2.on(DeleteSecurityGroupCommand).rejectsOnce(awsError('RequestLimitExceeded')).resolves({});
    await expect(isComplete(event('Delete', afterProps), ctx)).resolves.toEqual({ IsComplete: true });
    expect(sleeps).toHaveLength(1);
  });

  test('propagates unexpected errors', async () => {
    const { ctx, ec2 } = context();
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: INBOUND }] });
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('UnauthorizedOperation', 'not authorized to perform ec2:DeleteSecurityGroup'));
    await expect(isComplete(event('Delete', afterProps), ctx)).rejects.toThrow('ec2:DeleteSecurityGroup');
  });
});

describe('domain teardown: input and entries', () => {
  test('rejects an unknown phase and missing properties with the property name', async () => {
    const { ctx } = context();
    await expect(onEvent(event('Create', { Phase: 'Sometime' }), ctx)).rejects.toThrow(/Property Phase must be BeforeDomainDeletion or AfterDomainDeletion, got "Sometime"/);
    await expect(isComplete(event('Create', {}), ctx)).rejects.toThrow(/Property Phase/);
    await expect(onEvent(event('Create', { Phase: 'BeforeDomainDeletion' }), ctx)).rejects.toThrow('Property DomainId is required, got undefined');
  });

  test('the Lambda entries wire real clients', async () => {
    const ec2 = mockClient(EC2Client);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(onEventEntry(event('Create', afterProps))).resolves.toEqual(expect.objectContaining({ PhysicalResourceId: `${TAG_VALUE}:after-domain-deletion` }));
      await expect(isCompleteEntry(event('Create', afterProps))).resolves.toEqual({ IsComplete: true });
      expect(ec2.calls()).toHaveLength(0);
      expect(log).toHaveBeenCalledWith(expect.stringContaining('"message":"onEvent"'));
    } finally {
      ec2.restore();
      log.mockRestore();
    }
  });

  test('classifies errors', async () => {
    expect(errorName(awsError('ResourceNotFound'))).toBe('ResourceNotFound');
    expect(errorName({ Code: 'SlowDown' })).toBe('SlowDown');
    expect(errorName('plain')).toBe('');
    expect(isThrottling(Object.assign(new Error('x'), { $retryable: { throttling: true } }))).toBe(true);
    expect(isThrottling(awsError('ValidationException'))).toBe(false);
    await expect(withRetry(async () => { throw awsError('ValidationException', 'bad'); })).rejects.toThrow('bad');
  });
});
