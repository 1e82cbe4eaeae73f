import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DomainTeardownIsCompleteFunction } from '../../src/private/handlers/domain-teardown-is-complete-function';
import { DomainTeardownOnEventFunction } from '../../src/private/handlers/domain-teardown-on-event-function';
import { ProjectsEnablerFunction } from '../../src/private/handlers/projects-enabler-function';
import { wildcardFindings } from '../../src/private/nag-detail';
import {
  DEFAULT_LOGS_KEY_ID,
  MAX_INSTANCE_POLICIES,
  PlatformProvider,
  PlatformProviderProps,
  WAITER_LOG_DELIVERY_ACTIONS,
} from '../../src/private/provider';
import { auditAcknowledgments, compliantTemplate, testApp, testStack } from '../harness';

const polling = (extra: Partial<PlatformProviderProps> = {}): PlatformProviderProps => ({
  name: 'DomainTeardown',
  onEventHandler: (s, i, o) => new DomainTeardownOnEventFunction(s, i, o),
  isCompleteHandler: (s, i, o) => new DomainTeardownIsCompleteFunction(s, i, o),
  queryInterval: Duration.seconds(30),
  totalTimeout: Duration.minutes(50),
  ...extra,
});

const synchronous = (extra: Partial<PlatformProviderProps> = {}): PlatformProviderProps => ({
  name: 'ProjectsEnabler',
  onEventHandler: (s, i, o) => new ProjectsEnablerFunction(s, i, o),
  ...extra,
});

const describeDomain = (domainId: string) => new iam.PolicyStatement({
  actions: ['sagemaker:DescribeDomain'],
  resources: [`arn:aws:sagemaker:us-east-1:123456789012:domain/${domainId}`],
});

/** Every statement of every customer-managed policy in the template. */
function managedPolicyStatements(template: ReturnType<typeof compliantTemplate>): any[] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('PlatformProvider', () => {
  describe('a polling provider used by two instances, without a logs key', () => {
    // GIVEN two custom resources of one handler type, and one of another type, in one stack
    const stack = testStack();
    const first = PlatformProvider.getOrCreate(stack, polling());
    const second = PlatformProvider.getOrCreate(stack, polling());
    const a = first.createResource(stack, 'A', { properties: { Name: 'a' }, statements: [describeDomain('d-aaaaaaaaaaaa')] });
    const b = second.createResource(stack, 'B', { properties: { Name: 'b' }, statements: [describeDomain('d-bbbbbbbbbbbb')] });
    PlatformProvider.getOrCreate(stack, synchronous()).createResource(stack, 'C');

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('is one provider per stack and handler type, at a stable ID at the stack root', () => {
      expect(first).toBe(second);
      expect(stack.node.tryFindChild('SageMakerPlatformDomainTeardownProvider')).toBe(first);
      expect(stack.node.tryFindChild('SageMakerPlatformProjectsEnablerProvider')).toBeInstanceOf(PlatformProvider);
      const template = compliantTemplate(stack);
      template.resourceCountIs('Custom::SageMakerPlatformDomainTeardown', 2);
      template.resourceCountIs('Custom::SageMakerPlatformProjectsEnabler', 1);
      // polling: handler onEvent + isComplete, framework onEvent + isComplete + onTimeout; synchronous: 2
      template.resourceCountIs('AWS::Lambda::Function', 7);
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    });

    test('both instances use the same service token', () => {
      const template = compliantTemplate(stack);
      const tokens = Object.values(template.findResources('Custom::SageMakerPlatformDomainTeardown'))
        .map((r: any) => JSON.stringify(r.Properties.ServiceToken));
      expect(new Set(tokens).size).toBe(1);
      expect(a.node.scope).toBe(stack);
      expect(b.node.scope).toBe(stack);
    });

    test('creates one retained, rotated logs key per stack when none is given', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResource('AWS::KMS::Key', {
        Properties: {
          EnableKeyRotation: true,
          KeyPolicy: {
            Statement: Match.arrayWith([Match.objectLike({
              Principal: { Service: 'logs.us-east-1.amazonaws.com' },
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']] },
                },
              },
            })]),
          },
        },
        DeletionPolicy: 'Retain',
      });
      expect(first.logKey).toBe(stack.node.tryFindChild(DEFAULT_LOGS_KEY_ID));
    });

    test('logs to a KMS-encrypted, retained log group with a retention', () => {
      compliantTemplate(stack).hasResource('AWS::Logs::LogGroup', {
        Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 },
        DeletionPolicy: 'Retain',
      });
    });

    test('runs every function on Node.js 24 with reserved concurrency and JSON logs to that log group', () => {
      const functions = compliantTemplate(stack).findResources('AWS::Lambda::Function');
      for (const fn of Object.values(functions) as any[]) {
        expect(fn.Properties.Runtime).toBe('nodejs24.x');
        expect(fn.Properties.ReservedConcurrentExecutions).toBe(5);
        expect(fn.Properties.LoggingConfig).toEqual(expect.objectContaining({ LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } }));
      }
    });

    test('grants only through customer-managed policies: no inline policies, no AWS managed policies', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      for (const role of Object.values(template.findResources('AWS::IAM::Role')) as any[]) {
        expect(role.Properties.Policies).toBeUndefined();
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    test('writes the logs statement itself, scoped to the provider log group', () => {
      const statements = managedPolicyStatements(compliantTemplate(stack));
      const logs = statements.filter((s) => s.Sid === 'WriteOwnLogs');
      expect(logs.length).toBeGreaterThanOrEqual(3);
      for (const s of logs) {
        expect(s.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
        expect(s.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/LogGroup/), 'Arn'] });
      }
    });

    test('invokes the handler functions by unqualified ARN only (no version wildcard)', () => {
      const invokes = managedPolicyStatements(compliantTemplate(stack))
        .filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
      expect(invokes.length).toBeGreaterThan(0);
      for (const s of invokes) {
        for (const r of [s.Resource].flat()) expect(JSON.stringify(r)).not.toContain(':*');
      }
    });

    test('attaches each instance\'s statements as its own policy, which the instance depends on', () => {
      const template = compliantTemplate(stack);
      const resources = template.findResources('Custom::SageMakerPlatformDomainTeardown');
      const policies = template.findResources('AWS::IAM::ManagedPolicy', {
        Properties: { PolicyDocument: { Statement: [Match.objectLike({ Action: 'sagemaker:DescribeDomain' })] } },
      });
      expect(Object.keys(policies)).toHaveLength(2);
      for (const [logicalId, resource] of Object.entries(resources) as any[]) {
        expect(resource.DependsOn).toEqual([expect.stringMatching(new RegExp(`^${logicalId.slice(0, 1)}Policy`))]);
      }
      for (const policy of Object.values(policies) as any[]) {
        expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/DomainTeardownProviderHandlerRole/) }]);
      }
    });

    test('logs every waiter state machine event without execution data, with X-Ray tracing', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: [Match.anyValue()] },
        TracingConfiguration: { Enabled: true },
      });
    });

    test('gives the waiter role exactly its invoke, log-delivery and X-Ray statements', () => {
      const waiterPolicy = Object.values(compliantTemplate(stack).findResources('AWS::IAM::ManagedPolicy'))
        .find((p: any) => p.Properties.Description?.startsWith('Provider framework waiter')) as any;
      const statements = waiterPolicy.Properties.PolicyDocument.Statement;
      expect(statements.map((s: any) => s.Sid)).toEqual(['InvokeFrameworkFunctions', 'LogDelivery', 'XRayTracing']);
      expect(statements[0].Resource).toHaveLength(2);
      expect(statements[1].Action).toEqual(WAITER_LOG_DELIVERY_ACTIONS);
    });

    test('polls with the given interval and timeout', () => {
      const definition = JSON.stringify(compliantTemplate(stack).findResources('AWS::StepFunctions::StateMachine'));
      expect(definition).toContain('\\"IntervalSeconds\\":30');
      expect(definition).toContain('\\"MaxAttempts\\":100');
    });
  });

  describe('with a logs key', () => {
    // GIVEN a platform logs key
    const stack = testStack();
    const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
    const provider = PlatformProvider.getOrCreate(stack, synchronous({ logKey: key }));
    provider.createResource(stack, 'C');

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('uses the provided key and creates none', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
      });
      expect(provider.logKey).toBe(key);
    });

    test('lets CloudWatch Logs of this account use the key', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchLogsOfThisAccount' })]) },
      });
    });

    test('has no waiter state machine when synchronous', () => {
      compliantTemplate(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    });

    test('rejects another key for the same provider, naming both', () => {
      const other = new kms.Key(stack, 'OtherKey');
      expect(() => PlatformProvider.getOrCreate(stack, synchronous({ logKey: other })))
        .toThrow(/already encrypts its logs with 'TestStack\/LogsKey'; got a different logKey 'TestStack\/OtherKey'/);
      other.node.scope?.node.tryRemoveChild('OtherKey');
    });

    test('accepts the same key, or none, for the existing provider', () => {
      expect(PlatformProvider.getOrCreate(stack, synchronous({ logKey: key }))).toBe(provider);
      expect(PlatformProvider.getOrCreate(stack, synchronous())).toBe(provider);
    });
  });

  describe('limits and errors', () => {
    test('is one provider per stack, not per app', () => {
      const app = testApp();
      const one = PlatformProvider.getOrCreate(testStack(app, 'One'), synchronous());
      const two = PlatformProvider.getOrCreate(testStack(app, 'Two'), synchronous());
      expect(one).not.toBe(two);
    });

    test('accepts an imported logs key, whose policy it leaves to its owner', () => {
      const stack = testStack();
      const imported = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
      expect(PlatformProvider.getOrCreate(stack, synchronous({ logKey: imported })).logKey).toBe(imported);
    });

    test('finds the provider from a nested scope', () => {
      const stack = testStack();
      const nested = new iam.Role(stack, 'Scope', { assumedBy: new iam.AccountRootPrincipal() });
      expect(PlatformProvider.getOrCreate(nested, synchronous()).node.scope).toBe(stack);
    });

    test('refuses a foreign construct at the reserved ID', () => {
      const stack = testStack();
      new Stack(stack.node.root as any, 'Unrelated');
      new iam.Role(stack, 'SageMakerPlatformProjectsEnablerProvider', { assumedBy: new iam.AccountRootPrincipal() });
      expect(() => PlatformProvider.getOrCreate(stack, synchronous()))
        .toThrow(/'SageMakerPlatformProjectsEnablerProvider' at the root of stack 'TestStack' is reserved/);
    });

    test(`refuses more than ${MAX_INSTANCE_POLICIES} instance policies on one role (IAM quota)`, () => {
      const stack = testStack();
      const provider = PlatformProvider.getOrCreate(stack, synchronous());
      for (let i = 0; i < MAX_INSTANCE_POLICIES; i++) provider.createResource(stack, `R${i}`, { statements: [describeDomain(`d-${i}`)] });
      // instances without statements do not count
      provider.createResource(stack, 'NoStatements');
      expect(() => provider.createResource(stack, 'OneTooMany', { statements: [describeDomain('d-x')] }))
        .toThrow(/more than 9 instance policies \('TestStack\/OneTooMany' is instance 10\).*addToHandlerPolicy/);
    });

    test('rejects bad props in one error naming each prop', () => {
      const stack = testStack();
      expect(() => PlatformProvider.getOrCreate(stack, polling({ name: 'bad-name', totalTimeout: Duration.minutes(61), queryInterval: Duration.seconds(7), reservedConcurrency: 0 })))
        .toThrow(/PlatformProvider 'TestStack\/SageMakerPlatformbad-nameProvider' has invalid props:\n {2}- name must be PascalCase letters and digits, got 'bad-name'\n {2}- reservedConcurrency must be an integer between 1 and 1000, got 0\n {2}- totalTimeout \(seconds\) must be an integer between 1 and 3300, got 3660\n {2}- totalTimeout must be a multiple of queryInterval, got 3660 and 7 seconds/);
      expect(() => PlatformProvider.getOrCreate(stack, synchronous({ totalTimeout: Duration.minutes(5) })))
        .toThrow(/queryInterval and totalTimeout need an isCompleteHandler/);
    });

    test('addToHandlerPolicy adds provider-wide statements to the handler role\'s policy, acknowledging wildcards on request', () => {
      const stack = testStack();
      const provider = PlatformProvider.getOrCreate(stack, synchronous());
      provider.addToHandlerPolicy(describeDomain('d-shared'));
      provider.addToHandlerPolicy(describeDomain('*'), 'DOMAIN_TEARDOWN_WILDCARDS');
      const policy = stack.resolve(provider.handlerPolicy.document.toJSON());
      expect(JSON.stringify(policy)).toContain('domain/d-shared');
      expect(provider.handlerRole.node.tryFindChild('Policy')).toBe(provider.handlerPolicy);
      const { records, problems } = auditAcknowledgments(provider.handlerPolicy);
      expect(problems).toEqual([]);
      expect(records.map((r) => r.id)).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:sagemaker:us-east-1:123456789012:domain/*]']);
    });
  });

  describe('wildcardFindings', () => {
    test('renders resources and actions the way cdk-nag reports them', () => {
      const stack = testStack();
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      const details = wildcardFindings(stack, [
        new iam.PolicyStatement({ actions: ['s3:Get*'], resources: [`${role.roleArn}/*`, '*', 'arn:aws:s3:::exact'] }),
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] }),
      ]);
      expect(details).toEqual([
        'Action::s3:Get*',
        `Resource::<${stack.getLogicalId(role.node.defaultChild as iam.CfnRole)}.Arn>/*`,
        'Resource::*',
      ]);
    });
  });
});
