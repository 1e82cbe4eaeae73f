/**
 * Helpers of the pipelines tests: the definition a template holds, schema validation, and a
 * light stand-in for the platform network.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { InterfaceEndpointService, IPlatformNetwork } from '../../src';

/** The extended schema, copied from ../shared/schemas (a fresh clone has no ../shared). */
export const EXTENDED_SCHEMA_FILE = path.join(__dirname, 'fixtures', 'pipeline-definition.extended.schema.json');
export const PUBLISHED_SCHEMA_FILE = path.join(__dirname, 'fixtures', 'pipeline-definition.schema.json');

/**
 * The extended schema with the differences between the schema and the service closed, each only as
 * far as the service accepts more (README of ../shared/schemas: "validate against a copy of this
 * schema extended only for that gap, and say so in a comment"):
 *
 * 1. `Std:Join`: the extended schema's JoinFunction cannot be satisfied (its inner object has
 *    `additionalProperties: false` and no `properties`, yet requires `Values`); the service takes
 *    `{"Std:Join": {"On": ..., "Values": [...]}}`, as the SageMaker Python SDK emits.
 * 2. `RetryPolicies[].ExceptionType`: a list (a gap the README lists; the extended schema keeps the string).
 * 3. The `In` condition: `{"Type": "In", "QueryValue": ..., "Values": [...]}` as the SDK emits and its
 *    integration tests run against the service (the schema spells it Value/In and, with `oneOf`,
 *    rejects any reference as the value).
 * 4. The `Not` condition: `{"Type": "Not", "Condition": ...}` (SDK `ConditionNot`, integration-tested),
 *    absent from the schema.
 * 5. `PropertyFiles` of processing steps (SDK `property_files`; `JsonGet` on a property file needs it),
 *    absent from the schema although the extended schema accepts `Std:JsonGet` with `PropertyFile`.
 * 6. `Environment` of RegisterModel containers (CreateModelPackage's ModelPackageContainerDefinition
 *    has it; the SDK emits it; an AutoML model package does not run without it).
 * 7. EMR `StepConfig.Name`: not required (the SDK never sends it: "The Name attribute in
 *    AddJobFlowSteps cannot be passed; it will be set during runtime").
 */
export function amendedSchema(): any {
  const schema = JSON.parse(fs.readFileSync(EXTENDED_SCHEMA_FILE, 'utf-8'));
  const d = schema.definitions;
  // 1
  d.JoinFunction = {
    type: 'object',
    properties: {
      'Std:Join': {
        type: 'object',
        properties: {
          On: { type: 'string' },
          Values: { type: 'array', items: { oneOf: [{ type: 'string' }, { $ref: '#/definitions/GetFunction' }] } },
        },
        required: ['Values'],
        additionalProperties: false,
      },
    },
    required: ['Std:Join'],
    additionalProperties: false,
  };
  // 2
  d.RetryPolicy.properties.ExceptionType = { type: 'array', minItems: 1, items: d.RetryPolicy.properties.ExceptionType };
  // 3
  const anyValue = { anyOf: ['String', 'Boolean', 'Integer', 'Float'].map((t) => ({ $ref: `#/definitions/${t}ArgumentValue` })) };
  d.InCondition = {
    type: 'object',
    properties: { Type: { type: 'string', enum: ['In'] }, QueryValue: anyValue, Values: { type: 'array', minItems: 1, items: anyValue } },
    required: ['Type', 'QueryValue', 'Values'],
    additionalProperties: false,
  };
  // 4
  const anyCondition = { anyOf: ['BinaryCondition', 'InCondition', 'OrCondition', 'NotCondition'].map((c) => ({ $ref: `#/definitions/${c}` })) };
  d.NotCondition = {
    type: 'object',
    properties: { Type: { type: 'string', enum: ['Not'] }, Condition: anyCondition },
    required: ['Type', 'Condition'],
    additionalProperties: false,
  };
  d.OrCondition.properties.Conditions.items = anyCondition;
  d.ConditionStep.properties.Arguments.properties.Conditions.items.oneOf.push({ $ref: '#/definitions/NotCondition' });
  // 5
  d.ProcessingStep.properties.PropertyFiles = {
    type: 'array',
    items: {
      type: 'object',
      properties: { PropertyFileName: { type: 'string' }, OutputName: { type: 'string' }, FilePath: { type: 'string' } },
      required: ['PropertyFileName', 'OutputName', 'FilePath'],
      additionalProperties: false,
    },
  };
  // 6
  d.RegisterModelStep.properties.Arguments.properties.InferenceSpecification.properties.Containers.items.properties.Environment = {
    type: 'object', patternProperties: { '.*': { $ref: '#/definitions/StringArgumentValue' } },
  };
  // 7
  d.EMRStep.properties.Arguments.properties.StepConfig.required = ['HadoopJarStep'];
  return schema;
}

let validator: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/** Throws listing the schema errors when the definition does not validate against the amended extended schema. */
export function validateDefinition(definition: unknown): void {
  if (!validator) {
    // strict: false because the published schema uses annotation keywords ajv does not know (minLength on integers)
    validator = new Ajv({ strict: false, allErrors: true }).compile(amendedSchema());
  }
  if (!validator(definition)) {
    throw new Error(`definition does not validate against the extended schema:\n${JSON.stringify(validator.errors, undefined, 1).slice(0, 4000)}`);
  }
}

/** cdk-nag's flat form of a CloudFormation value: references become <LogicalId> or <LogicalId.Attr>. */
export function flatten(node: any): string {
  if (typeof node === 'string') return node;
  if (node['Fn::Join']) return node['Fn::Join'][1].map(flatten).join(node['Fn::Join'][0]);
  if (node['Fn::GetAtt']) return `<${node['Fn::GetAtt'][0]}.${node['Fn::GetAtt'][1]}>`;
  if (node.Ref) return `<${node.Ref}>`;
  return JSON.stringify(node);
}

/** The definition of the stack's (only, or given) pipeline, parsed, with references as placeholders. */
export function definitionOf(stack: Stack, template: Template, logicalId?: string): any {
  const pipelines = template.findResources('AWS::SageMaker::Pipeline');
  const id = logicalId ?? Object.keys(pipelines)[0];
  const def = pipelines[id].Properties.PipelineDefinition;
  if (def.PipelineDefinitionBody) return JSON.parse(flatten(def.PipelineDefinitionBody));
  const key = flatten(def.PipelineDefinitionS3Location.Key);
  const outdir = Stage.of(stack)!.outdir;
  return JSON.parse(fs.readFileSync(path.join(outdir, `asset.${key}`), 'utf-8'));
}

/** The statements of the pipeline role's policy. */
export function pipelineStatements(template: Template): any[] {
  const all = template.findResources('AWS::IAM::ManagedPolicy');
  const mine = Object.values(all).filter((p: any) => JSON.stringify(p.Properties.Description ?? '').includes('Execution role policy of SageMaker pipeline'));
  return mine.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

/** A statement by Sid. */
export function statement(statements: any[], sid: string): any {
  const s = statements.find((x) => x.Sid === sid);
  if (!s) throw new Error(`no statement ${sid}; statements: ${statements.map((x) => x.Sid).join(', ')}`);
  return s;
}

/** A stand-in for PlatformNetwork: an imported VPC with two isolated subnets, recording endpoint requests. */
export class FakeNetwork extends Construct implements IPlatformNetwork {
  public readonly vpc: ec2.IVpc;
  public readonly subnets: ec2.ISubnet[];
  public readonly subnetIds: string[];
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;
  public readonly endpoints: InterfaceEndpointService[] = [];
  public readonly admitted: ec2.ISecurityGroup[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.subnetIds = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      isolatedSubnetIds: this.subnetIds,
      isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'],
    });
    this.subnets = this.vpc.isolatedSubnets;
    this.endpointSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'EndpointSg', 'sg-0123456789abcdef9');
  }

  public addInterfaceEndpoints(...services: InterfaceEndpointService[]): void {
    for (const s of services) if (!this.endpoints.includes(s)) this.endpoints.push(s);
  }

  public allowEndpointAccessFrom(peer: ec2.ISecurityGroup): void {
    this.admitted.push(peer);
  }
}

/** Roles and keys imported by literal ARNs, as a platform team passes them in. */
export function importedFixtures(scope: Construct) {
  return {
    jobRole: iam.Role.fromRoleArn(scope, 'JobRole', 'arn:aws:iam::123456789012:role/ml-job-role', { mutable: false }),
    modelRole: iam.Role.fromRoleArn(scope, 'ModelRole', 'arn:aws:iam::123456789012:role/ml-model-role', { mutable: false }),
    key: kms.Key.fromKeyArn(scope, 'JobKey', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555'),
    subnets: [
      ec2.Subnet.fromSubnetAttributes(scope, 'SubnetA', { subnetId: 'subnet-0123456789abcdef0', availabilityZone: 'us-east-1a' }),
      ec2.Subnet.fromSubnetAttributes(scope, 'SubnetB', { subnetId: 'subnet-0123456789abcdef1', availabilityZone: 'us-east-1b' }),
    ],
    securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(scope, 'JobSg', 'sg-0123456789abcdef0')],
  };
}
