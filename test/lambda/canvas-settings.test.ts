import {
  DescribeDomainCommand,
  DescribeUserProfileCommand,
  SageMakerClient,
  UpdateDomainCommand,
  UpdateUserProfileCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CanvasSettingsContext, CanvasSettingsEvent, DISABLED_SETTINGS, onEvent, parseProperties, physicalIdOf,
} from '../../lambda/canvas-settings/handler';
import { handler } from '../../lambda/canvas-settings/index.lambda';

const DOMAIN = 'd-abcdefghijkl';
const SETTINGS = {
  WorkspaceSettings: { S3ArtifactPath: 's3://ml-data-123456789012/canvas/fraud/', S3KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555' },
  TimeSeriesForecastingSettings: { Status: 'DISABLED' },
  ModelRegisterSettings: { Status: 'ENABLED' },
  DirectDeploySettings: { Status: 'DISABLED' },
  KendraSettings: { Status: 'DISABLED' },
  EmrServerlessSettings: { Status: 'DISABLED' },
};

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

function context() {
  const sagemaker = new SageMakerClient({ region: 'us-east-1' });
  const sleeps: number[] = [];
  const ctx: CanvasSettingsContext = {
    sagemaker,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async (ms) => { sleeps.push(ms); } },
    wait: { attempts: 4, delayMs: 2_000 },
    sleep: async (ms) => { sleeps.push(ms); },
  };
  const sm = mockClient(sagemaker);
  sm.on(DescribeDomainCommand).resolves({ Status: 'InService' });
  sm.on(DescribeUserProfileCommand).resolves({ Status: 'InService' });
  sm.on(UpdateDomainCommand).resolves({});
  sm.on(UpdateUserProfileCommand).resolves({});
  return { ctx, sm, sleeps };
}

function props(users: string[] = [], settings: unknown = SETTINGS, domainId = DOMAIN) {
  return { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x', DomainId: domainId, UserProfileNames: users, CanvasAppSettings: settings, Revision: 'abc' };
}

function event(requestType: 'Create' | 'Update' | 'Delete', properties: ReturnType<typeof props>, old?: ReturnType<typeof props>): CanvasSettingsEvent {
  return {
    RequestType: requestType,
    PhysicalResourceId: requestType === 'Create' ? undefined : physicalIdOf(parseProperties(old ?? properties)),
    ResourceProperties: properties,
    OldResourceProperties: old,
  };
}

describe('Canvas settings handler', () => {
  describe('Create', () => {
    test('applies the settings to the domain\'s default user settings when no profile is named', async () => {
      const { ctx, sm } = context();
      const result = await onEvent(event('Create', props()), ctx);
      expect(result.PhysicalResourceId).toBe(`canvas-settings/${DOMAIN}/domain`);
      expect(sm.commandCalls(UpdateDomainCommand).map((c) => c.args[0].input)).toEqual([
        { DomainId: DOMAIN, DefaultUserSettings: { CanvasAppSettings: SETTINGS } },
      ]);
      expect(sm.commandCalls(UpdateUserProfileCommand)).toHaveLength(0);
    });

    test('applies the settings to each named user profile and leaves the domain alone', async () => {
      const { ctx, sm } = context();
      const result = await onEvent(event('Create', props(['alice', 'bob'])), ctx);
      expect(result.PhysicalResourceId).toBe(`canvas-settings/${DOMAIN}/user-profiles`);
      expect(sm.commandCalls(UpdateUserProfileCommand).map((c) => c.args[0].input)).toEqual([
        { DomainId: DOMAIN, UserProfileName: 'alice', UserSettings: { CanvasAppSettings: SETTINGS } },
        { DomainId: DOMAIN, UserProfileName: 'bob', UserSettings: { CanvasAppSettings: SETTINGS } },
      ]);
      expect(sm.commandCalls(UpdateDomainCommand)).toHaveLength(0);
    });

    test('waits while a new profile is Pending, then updates it', async () => {
      const { ctx, sm, sleeps } = context();
      sm.on(DescribeUserProfileCommand).resolvesOnce({ Status: 'Pending' }).resolvesOnce({ Status: 'Updating' }).resolves({ Status: 'InService' });
      await onEvent(event('Create', props(['alice'])), ctx);
      expect(sm.commandCalls(DescribeUserProfileCommand)).toHaveLength(3);
      expect(sleeps).toEqual([2_000, 2_000]);
      expect(sm.commandCalls(UpdateUserProfileCommand)).toHaveLength(1);
    });

    test('times out with a clear message when the domain never settles', async () => {
      const { ctx, sm } = context();
      sm.on(DescribeDomainCommand).resolves({ Status: 'Updating' });
      await expect(onEvent(event('Create', props()), ctx)).rejects.toThrow(/domain d-abcdefghijkl was still Updating after 4 checks 2000 ms apart/);
      expect(sm.commandCalls(UpdateDomainCommand)).toHaveLength(0);
    });

    test('fails when the profile does not exist', async () => {
      const { ctx, sm } = context();
      sm.on(DescribeUserProfileCommand).rejects(awsError('ResourceNotFound', 'User profile not found'));
      await expect(onEvent(event('Create', props(['ghost'])), ctx)).rejects.toThrow(/user profile ghost does not exist/);
    });

    test('fails when the domain failed to create', async () => {
      const { ctx, sm } = context();
      sm.on(DescribeDomainCommand).resolves({ Status: 'Failed' });
      await expect(onEvent(event('Create', props()), ctx)).rejects.toThrow(/failed to create/);
    });

    test('reports a rejected update with the service\'s error', async () => {
      const { ctx, sm } = context();
      sm.on(UpdateDomainCommand).rejects(awsError('ValidationException', 'S3ArtifactPath is not a valid S3 URI'));
      await expect(onEvent(event('Create', props()), ctx)).rejects.toThrow(
        /Updating the Canvas settings of domain d-abcdefghijkl failed: ValidationException: S3ArtifactPath is not a valid S3 URI/);
    });

    test('retries throttled calls', async () => {
      const { ctx, sm, sleeps } = context();
      sm.on(UpdateUserProfileCommand).rejectsOnce(awsError('ThrottlingException')).resolves({});
      sm.on(DescribeUserProfileCommand).rejectsOnce(awsError('ThrottlingException')).resolves({ Status: 'InService' });
      await onEvent(event('Create', props(['alice'])), ctx);
      expect(sm.commandCalls(UpdateUserProfileCommand)).toHaveLength(2);
      expect(sleeps).toHaveLength(2);
    });

    test('gives up on throttling after the configured attempts', async () => {
      const { ctx, sm } = context();
      sm.on(UpdateDomainCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
      await expect(onEvent(event('Create', props()), ctx)).rejects.toThrow(/ThrottlingException: Rate exceeded/);
      expect(sm.commandCalls(UpdateDomainCommand)).toHaveLength(3);
    });
  });

  describe('Update', () => {
    test('applies the new settings and disables Canvas features of profiles no longer named', async () => {
      const { ctx, sm } = context();
      const result = await onEvent(event('Update', props(['alice']), props(['alice', 'bob'])), ctx);
      expect(result.PhysicalResourceId).toBe(`canvas-settings/${DOMAIN}/user-profiles`);
      expect(sm.commandCalls(UpdateUserProfileCommand).map((c) => c.args[0].input)).toEqual([
        { DomainId: DOMAIN, UserProfileName: 'alice', UserSettings: { CanvasAppSettings: SETTINGS } },
        { DomainId: DOMAIN, UserProfileName: 'bob', UserSettings: { CanvasAppSettings: DISABLED_SETTINGS } },
      ]);
    });

    test('a removed profile that is already gone is fine', async () => {
      const { ctx, sm } = context();
      sm.on(DescribeUserProfileCommand, { UserProfileName: 'bob' }).rejects(awsError('ResourceNotFound'));
      await onEvent(event('Update', props(['alice']), props(['alice', 'bob'])), ctx);
      expect(sm.commandCalls(UpdateUserProfileCommand).map((c) => c.args[0].input.UserProfileName)).toEqual(['alice']);
    });

    test('a new target changes the physical ID and leaves the old target to the delete CloudFormation sends', async () => {
      const { ctx, sm } = context();
      const result = await onEvent(event('Update', props(['alice']), props()), ctx);
      expect(result.PhysicalResourceId).toBe(`canvas-settings/${DOMAIN}/user-profiles`);
      expect(sm.commandCalls(UpdateDomainCommand)).toHaveLength(0);
      expect(sm.commandCalls(UpdateUserProfileCommand)).toHaveLength(1);
    });
  });

  describe('Delete', () => {
    test('disables the Canvas features of the domain and keeps the workspace location', async () => {
      const { ctx, sm } = context();
      const result = await onEvent(event('Delete', props()), ctx);
      expect(result.PhysicalResourceId).toBe(`canvas-settings/${DOMAIN}/domain`);
      const input = sm.commandCalls(UpdateDomainCommand)[0].args[0].input;
      expect(input.DefaultUserSettings?.CanvasAppSettings).toEqual(DISABLED_SETTINGS);
      expect(input.DefaultUserSettings?.CanvasAppSettings?.WorkspaceSettings).toBeUndefined();
    });

    test('succeeds when the domain is already gone', async () => {
      const { ctx, sm } = context();
      sm.on(DescribeDomainCommand).rejects(awsError('ResourceNotFound', 'Domain not found'));
      await onEvent(event('Delete', props()), ctx);
      expect(sm.commandCalls(UpdateDomainCommand)).toHaveLength(0);
    });

    test('succeeds when the domain is being deleted', async () => {
      const { ctx, sm } = context();
      sm.on(DescribeDomainCommand).resolves({ Status: 'Deleting' });
      await onEvent(event('Delete', props()), ctx);
      expect(sm.commandCalls(UpdateDomainCommand)).toHaveLength(0);
    });

    test('succeeds when a profile disappears between the check and the update', async () => {
      const { ctx, sm } = context();
      sm.on(UpdateUserProfileCommand).rejects(awsError('ResourceNotFound'));
      await onEvent(event('Delete', props(['alice', 'bob'])), ctx);
      expect(sm.commandCalls(UpdateUserProfileCommand)).toHaveLength(2);
    });

    test('fails on other errors, so the stack operation shows them', async () => {
      const { ctx, sm } = context();
      sm.on(UpdateUserProfileCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
      await expect(onEvent(event('Delete', props(['alice'])), ctx)).rejects.toThrow(/AccessDeniedException: not authorized/);
    });
  });

  describe('properties', () => {
    test('rejects malformed properties, naming each problem', () => {
      expect(() => parseProperties({ DomainId: 'domain-1', UserProfileNames: ['ok', 'not ok'], CanvasAppSettings: 'x' })).toThrow(
        /DomainId must be a domain ID.*"domain-1".*UserProfileNames must be a list of user profile names.*CanvasAppSettings must be an object/);
      expect(() => parseProperties({ DomainId: DOMAIN, UserProfileNames: ['a', 'a'], CanvasAppSettings: {} })).toThrow(/must not repeat a name/);
    });

    test('an unknown request type is an error', async () => {
      const { ctx } = context();
      await expect(onEvent({ RequestType: 'Replace' as 'Create', ResourceProperties: props() }, ctx)).rejects.toThrow(/Unknown request type Replace/);
    });
  });

  test('the Lambda entry point wires a real client', async () => {
    const sm = mockClient(SageMakerClient);
    sm.on(DescribeDomainCommand).resolves({ Status: 'InService' });
    sm.on(UpdateDomainCommand).resolves({});
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const result = await handler(event('Create', props()));
      expect(result.PhysicalResourceId).toBe(`canvas-settings/${DOMAIN}/domain`);
      expect(sm.commandCalls(UpdateDomainCommand)).toHaveLength(1);
    } finally {
      log.mockRestore();
      sm.restore();
    }
  });
});
