import { CfnParameter, Duration, RemovalPolicy, Size, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { StudioDomain } from '../../src/studio';
import { compliantTemplate, testStack } from '../harness';
import { FixedSubnetsNetwork, studioFixture } from './fixtures';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

describe('StudioDomain bad input', () => {
  test('reports every invalid prop at once, each with the prop name and the value received', () => {
    // GIVEN a network with a single subnet and a key
    const stack = testStack();
    const network = new FixedSubnetsNetwork(stack, 'Network', ['subnet-0123456789abcdef0']);
    const key = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
    // WHEN every range and name is wrong THEN one error lists them all
    let message = '';
    try {
      new StudioDomain(stack, 'Studio', {
        network,
        storageKey: key,
        jobKey: key,
        domainName: 'ml_platform',
        idleTimeout: Duration.minutes(30),
        maxIdleTimeout: Duration.days(400),
        defaultEbsVolumeSize: Size.gibibytes(2),
        maximumEbsVolumeSize: Size.gibibytes(20_000),
        appInstanceTypes: ['t3.medium'],
        jobInstanceTypes: [],
        deleteHomeFileSystemOnDelete: true,
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      "StudioDomain 'TestStack/Studio' has invalid props:",
      "  - domainName must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit, got 'ml_platform'",
      '  - network.subnetIds must list at least two subnets in different Availability Zones, got 1 ([subnet-0123456789abcdef0])',
      '  - idleTimeout (minutes) must be an integer between 60 and 525600, got 30',
      '  - maxIdleTimeout (minutes) must be an integer between 60 and 525600, got 576000',
      '  - defaultEbsVolumeSize (GiB) must be an integer between 5 and 16384, got 2',
      '  - maximumEbsVolumeSize (GiB) must be an integer between 5 and 16384, got 20000',
      "  - appInstanceTypes[0] must be an ML instance type such as 'ml.t3.medium', got 't3.medium'",
      '  - jobInstanceTypes must list at least one instance type, got an empty list',
      '  - deleteHomeFileSystemOnDelete: true needs removalPolicy: RemovalPolicy.DESTROY (a retained domain keeps its file system), '
        + 'got removalPolicy RETAIN (default)',
    ]);
  });

  test('refuses a maximum idle timeout below the idle timeout', () => {
    const stack = testStack();
    const { network, storageKey } = studioFixture(stack);
    expect(() => new StudioDomain(stack, 'Studio', {
      network, storageKey, jobKey: storageKey, idleTimeout: Duration.hours(3), maxIdleTimeout: Duration.hours(2),
    })).toThrow(/maxIdleTimeout must be at least idleTimeout \(180 minutes\), got 120 minutes/);
  });

  test('refuses idle timeouts that are not whole minutes, and idle timeouts without idle shutdown', () => {
    const stack = testStack();
    const { network, storageKey } = studioFixture(stack);
    expect(() => new StudioDomain(stack, 'Studio', {
      network, storageKey, jobKey: storageKey, idleTimeout: Duration.seconds(3630), idleShutdown: false,
    })).toThrow(/idleTimeout \(minutes\) must be an integer between 60 and 525600, got 60.5\n.*idleTimeout and maxIdleTimeout have no effect with idleShutdown: false/);
  });

  test('refuses a maximum EBS size below the default, and a name over 63 characters', () => {
    const stack = testStack();
    const { network, storageKey } = studioFixture(stack);
    expect(() => new StudioDomain(stack, 'Studio', {
      network, storageKey, jobKey: storageKey, domainName: 'a'.repeat(64), defaultEbsVolumeSize: Size.gibibytes(200),
    })).toThrow(/domainName must be at most 63 characters, got 64[\s\S]*maximumEbsVolumeSize must be at least defaultEbsVolumeSize \(200 GiB\), got 100 GiB/);
  });

  describe('with tokens', () => {
    // GIVEN deploy-time values for the name and the sizes
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const name = new CfnParameter(stack, 'DomainName');
    const minutes = new CfnParameter(stack, 'IdleMinutes', { type: 'Number' });
    const gib = new CfnParameter(stack, 'EbsGib', { type: 'Number' });
    // WHEN the domain uses them THEN nothing is validated at synth
    const domain = new StudioDomain(stack, 'Studio', {
      network,
      storageKey,
      jobKey: dataKey,
      domainName: name.valueAsString,
      idleTimeout: Duration.minutes(minutes.valueAsNumber),
      defaultEbsVolumeSize: Size.gibibytes(gib.valueAsNumber),
      sdkDefaults: false,
    });

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('addUserProfile refuses a token name, which cannot name a construct', () => {
      expect(() => domain.addUserProfile(Token.asString(name.valueAsString))).toThrow(/addUserProfile name must be a literal, it names the construct/);
    });

    test('renders the tokens', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Domain', {
        DomainName: { Ref: 'DomainName' },
        DefaultUserSettings: {
          SpaceStorageSettings: { DefaultEbsStorageSettings: { DefaultEbsVolumeSizeInGb: { Ref: 'EbsGib' }, MaximumEbsVolumeSizeInGb: 100 } },
        },
      });
    });
  });
});

describe('StudioDomain.addUserProfile bad input', () => {
  // GIVEN a domain with one user
  const stack = testStack();
  const { network, storageKey, dataKey } = studioFixture(stack);
  const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey, removalPolicy: RemovalPolicy.RETAIN });
  domain.addUserProfile('alice');

  test('refuses a duplicate user name', () => {
    expect(() => domain.addUserProfile('alice')).toThrow(
      /addUserProfile name must be unique in the domain \(compared without case\), got 'alice', already added as 'alice'/);
  });

  test('refuses a name that differs only in case', () => {
    expect(() => domain.addUserProfile('Alice')).toThrow(/got 'Alice', already added as 'alice'/);
  });

  test('refuses names outside SageMaker\'s pattern, naming the value', () => {
    expect(() => domain.addUserProfile('bob.smith')).toThrow(
      /StudioDomain 'TestStack\/Studio' has invalid props:\n {2}- addUserProfile name must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit, got 'bob.smith'/);
    expect(() => domain.addUserProfile('bob-')).toThrow(/got 'bob-'/);
    expect(() => domain.addUserProfile('')).toThrow(/got ''/);
  });

  test('refuses names longer than 63 characters, with their length', () => {
    expect(() => domain.addUserProfile('b'.repeat(64))).toThrow(/addUserProfile name must be at most 63 characters, got 64/);
  });

  test('accepts hyphens inside the name and 63 characters', () => {
    expect(() => domain.addUserProfile('carol--jones', { privateSpace: false })).not.toThrow();
    expect(() => domain.addUserProfile('d'.repeat(63), { privateSpace: false })).not.toThrow();
    expect(domain.userProfileList.map((p) => p.userProfileName)).toEqual(['alice', 'carol--jones', 'd'.repeat(63)]);
  });

  test('leaves the domain compliant after the refused calls', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });
});
