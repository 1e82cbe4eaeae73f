import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { MAX_CONCURRENT_CREATIONS } from '../../private/feature-store-rules';

/** What the feature groups of one stack share. */
interface StackFeatureStore {
  /** The groups in construction order: each waits for the group created MAX_CONCURRENT_CREATIONS before it. */
  readonly groups: CfnResource[];
  /** The shared handler statements, one per handler type; every group of the stack adds its ARNs. */
  readonly handlerStatements: Map<string, iam.PolicyStatement>;
}

const STATE = new WeakMap<Stack, StackFeatureStore>();

function stateOf(scope: IConstruct): StackFeatureStore {
  const stack = Stack.of(scope);
  let state = STATE.get(stack);
  if (!state) {
    state = { groups: [], handlerStatements: new Map() };
    STATE.set(stack, state);
  }
  return state;
}

/**
 * Orders the creation of the feature groups of a stack so that no more than four are created at once:
 * Feature Store runs at most four feature group creation workflows at a time per account and Region.
 * Each group depends on the group registered four before it, which makes four chains that each create
 * one group at a time. Existing groups are not affected (a DependsOn change updates nothing).
 */
export function registerForCreationOrder(group: CfnResource): void {
  const { groups } = stateOf(group);
  if (groups.length >= MAX_CONCURRENT_CREATIONS) {
    group.node.addDependency(groups[groups.length - MAX_CONCURRENT_CREATIONS]);
  }
  groups.push(group);
}

/**
 * Adds the ARNs of one feature group to the stack-wide statement of a handler type, creating it with
 * `attach` on first use. The statement names every feature group of the stack exactly (no wildcard), and
 * is shared so that a stack with many groups stays within the managed-policy quota of the handler role.
 */
export function allowHandlerOnGroup(scope: IConstruct, handler: string, actions: string[], resources: string[],
  attach: (statement: iam.PolicyStatement) => void): void {
  const { handlerStatements } = stateOf(scope);
  let statement = handlerStatements.get(handler);
  if (!statement) {
    statement = new iam.PolicyStatement({ sid: `${handler}OnFeatureGroupsOfThisStack`, actions, resources });
    handlerStatements.set(handler, statement);
    attach(statement);
  } else {
    statement.addResources(...resources);
  }
}
