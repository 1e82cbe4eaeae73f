import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge, AcknowledgmentName } from '../../private/acknowledgments';
import { nagResourceDetail } from '../../private/nag-detail';

/** Actions that support only `Resource: "*"` (Service Authorization Reference) and that SageMaker roles need. */
const SERVICE_WIDE_ACTIONS = new Set([
  'ecr:GetAuthorizationToken',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
  'cloudwatch:PutMetricData',
]);

const NETWORK_INTERFACE_ACTIONS = new Set([
  'ec2:CreateNetworkInterface',
  'ec2:CreateNetworkInterfacePermission',
  'ec2:DeleteNetworkInterface',
  'ec2:DeleteNetworkInterfacePermission',
]);

const OBJECT_ACTIONS = new Set(['s3:GetObject', 's3:PutObject']);

const LOG_ACTIONS = new Set(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']);

/**
 * The acknowledgment for one wildcard resource of a statement, or undefined when the wildcard is
 * not one of the kinds the inference roles need (then the finding stays visible).
 */
function classify(actions: string[], detail: string): AcknowledgmentName | undefined {
  const all = (set: Set<string>) => actions.length > 0 && actions.every((a) => set.has(a));
  if (detail === 'Resource::*' && all(SERVICE_WIDE_ACTIONS)) return 'INFERENCE_SERVICE_WIDE_ACTIONS';
  if (/:network-interface\/\*$/.test(detail) && all(NETWORK_INTERFACE_ACTIONS)) return 'INFERENCE_NETWORK_INTERFACES';
  // '<bucket ARN>/<prefix>/*': a prefix, never all objects of a bucket
  if (/\/[^/*]+\/\*$/.test(detail) && all(OBJECT_ACTIONS)) return 'INFERENCE_OBJECT_PREFIXES';
  if (/:log-group:\/aws\/sagemaker\/[A-Za-z]+:\*$/.test(detail) && all(LOG_ACTIONS)) return 'INFERENCE_JOB_LOG_STREAMS';
  return undefined;
}

/**
 * A role for SageMaker (models, endpoints, monitoring jobs) whose statements all go to one
 * customer-managed policy: the HIPAA, NIST and PCI packs reject inline policies and AwsSolutions
 * rejects AWS managed ones. Statements come from this module only; the wildcard resources of the
 * kinds the service needs (service-wide actions, SageMaker-created network interfaces, S3 object
 * prefixes, the streams of SageMaker's job log groups) are acknowledged on the policy one by one, with their exact resource.
 */
export class SageMakerServiceRole extends iam.Role {
  /** The customer-managed policy that holds every statement. */
  public readonly policy: iam.ManagedPolicy;

  private readonly acknowledged = new Set<string>();

  constructor(scope: Construct, id: string, description: string) {
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: description.slice(0, 1000),
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description: description.slice(0, 1000), roles: [this] });
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    if (statement.effect === iam.Effect.ALLOW) {
      for (const resource of statement.resources) {
        const detail = nagResourceDetail(this, resource);
        if (!detail.includes('*')) continue;
        const name = classify(statement.actions, detail);
        if (name && !this.acknowledged.has(`${name} ${detail}`)) {
          this.acknowledged.add(`${name} ${detail}`);
          acknowledge(this.policy, name, [detail]);
        }
      }
    }
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/** The ARN of an EC2 resource of the stack's account and Region. */
export function ec2Arn(scope: Construct, resource: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:${resource}`;
}
