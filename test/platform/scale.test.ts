/**
 * Scale: a platform of 10 teams of 20 users (200 user profiles) stays inside CloudFormation's limits
 * (500 resources and 1 MB per template, 200 outputs and parameters) because each team is its own
 * nested stack. Timings are printed, never asserted (`npm run bench` reports them too).
 */
import { NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SecureMlPlatform } from '../../src/platform';
import { allStacks, auditAcknowledgments, compliantTemplate, inspect, nestedStacks, nestedTemplateFindings, templateSize, TEST_ENV, testApp } from '../harness';

const TEAMS = 10;
const USERS_PER_TEAM = 20;

describe(`a platform of ${TEAMS} teams of ${USERS_PER_TEAM} users`, () => {
  // GIVEN 200 users in 10 teams
  const t0 = process.hrtime.bigint();
  const app = testApp();
  const platform = new SecureMlPlatform(app, 'Platform', { platformName: 'scale', env: TEST_ENV });
  for (let t = 0; t < TEAMS; t++) {
    platform.addTeam(`team-${t}`, {
      members: Array.from({ length: USERS_PER_TEAM }, (_, u) => ({ userName: `user-${t}-${u}` })),
      budget: { monthlyLimitUsd: 1000 },
    });
  }
  const t1 = process.hrtime.bigint();
  app.synth();
  const t2 = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  const stacks = allStacks(platform);
  // eslint-disable-next-line no-console
  console.log([
    `construct ${ms(t0, t1).toFixed(0)} ms, synth ${ms(t1, t2).toFixed(0)} ms for ${TEAMS * USERS_PER_TEAM} users`,
    ...stacks.map((s) => {
      const size = templateSize(s);
      return `${s.node.path.padEnd(34)} ${String(size.resources).padStart(4)} resources ${String(size.bytes).padStart(8)} bytes (${size.minifiedBytes} minified)`;
    }),
    `endpoint security group inbound rules: ${platform.network.endpointAccessCount}`,
  ].join('\n'));

  test('every template, nested ones included, stays below 500 resources and 1 MB', () => {
    expect(stacks).toHaveLength(3 + TEAMS);
    for (const stack of stacks) {
      const size = templateSize(stack);
      expect({ stack: stack.node.path, underResourceLimit: size.resources < 500, under1MB: size.bytes < 1_000_000 })
        .toEqual({ stack: stack.node.path, underResourceLimit: true, under1MB: true });
      const template = Template.fromStack(stack).toJSON();
      expect(Object.keys(template.Outputs ?? {}).length).toBeLessThanOrEqual(200);
      expect(Object.keys(template.Parameters ?? {}).length).toBeLessThanOrEqual(200);
    }
  });

  test(`has ${TEAMS * USERS_PER_TEAM} user profiles, one nested stack and one domain per team`, () => {
    const nested = nestedStacks(platform);
    expect(nested).toHaveLength(TEAMS);
    let profiles = 0;
    for (const stack of nested) {
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SageMaker::Domain', 1);
      profiles += Object.keys(template.findResources('AWS::SageMaker::UserProfile')).length;
    }
    expect(profiles).toBe(TEAMS * USERS_PER_TEAM);
    Template.fromStack(platform.studioStack).resourceCountIs('AWS::CloudFormation::Stack', TEAMS);
  });

  test('every role stays within the IAM quota of 10 managed policies', () => {
    for (const stack of nestedStacks(platform)) {
      const template = Template.fromStack(stack).toJSON();
      const attached = new Map<string, number>();
      for (const r of Object.values<{ Type: string; Properties: { Roles?: Array<{ Ref?: string }> } }>(template.Resources)) {
        if (r.Type !== 'AWS::IAM::ManagedPolicy') continue;
        for (const role of r.Properties.Roles ?? []) if (role.Ref) attached.set(role.Ref, (attached.get(role.Ref) ?? 0) + 1);
      }
      expect(Math.max(...attached.values())).toBeLessThanOrEqual(10);
    }
  });

  test('the network, data and Studio stacks pass every rule pack; one team stack is checked on its own', () => {
    for (const stack of [platform.networkStack, platform.dataStack]) expect(() => compliantTemplate(stack)).not.toThrow();
    // the team stacks are built by the same code: one of them, with its 20 members, stands for all
    // (inspect validates the template of the nested stack it is given, too)
    const team = nestedStacks(platform)[0];
    const result = inspect(team as Stack);
    expect(result.findings).toEqual([]);
    expect(auditAcknowledgments(team).problems).toEqual([]);
    // and the CloudFormation validation, without the rule packs, of every team's template
    expect(nestedTemplateFindings(platform)).toEqual([]);
    expect(NestedStack.isNestedStack(team)).toBe(true);
  });
});

test('a team too large for one nested stack fails at synth with a clear message', () => {
  const app = testApp();
  const platform = new SecureMlPlatform(app, 'Platform', { platformName: 'huge', env: TEST_ENV });
  platform.addTeam('everyone', { members: Array.from({ length: 50 }, (_, u) => ({ userName: `user-${u}` })) });
  expect(() => app.synth()).toThrow(/team 'everyone' needs \d+ CloudFormation resources in its nested stack, over the 500 a template may hold/);
});
