/**
 * Resolves the templates of a whole multi-stack app to concrete values, the way CloudFormation would at
 * deploy time (account 123456789012, us-east-1): Ref, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split,
 * Fn::ImportValue (through the exporting stack's outputs) and nested-stack parameters (through the
 * parent's AWS::CloudFormation::Stack resource).
 *
 * Physical IDs are derived from the stack path AND the logical ID: two nested stacks built by the same
 * construct have the same logical IDs, and must still get distinct role ARNs and domain IDs.
 */
import * as crypto from 'crypto';
import { NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { ACCOUNT, fixtureId, Json, PARTITION, REGION, resolveIntrinsics } from '../studio/iam-resolver';

interface CfnResource { readonly Type: string; readonly Properties?: { [key: string]: Json } }
interface CfnTemplate {
  readonly Resources: { [logicalId: string]: CfnResource };
  readonly Parameters?: { [name: string]: Json };
  readonly Outputs?: { [name: string]: { Value: Json; Export?: { Name: Json } } };
}

/** One stack's template and how to resolve its parameters. */
class StackResolver {
  constructor(
    public readonly app: AppResolver,
    public readonly path: string,
    public readonly template: CfnTemplate,
    private readonly parent?: { resolver: StackResolver; logicalId: string },
  ) {}

  public resolve(value: Json): Json {
    return resolveIntrinsics(value, {
      ref: (id) => this.ref(id),
      getAtt: (id, attr) => this.getAtt(id, attr),
      other: (fn, arg) => {
        if (fn === 'Fn::GetAZs') return ['us-east-1a', 'us-east-1b', 'us-east-1c'];
        if (fn === 'Fn::ImportValue') return this.app.importValue(String(this.resolve(arg)));
        return undefined;
      },
    }, `app-resolver (${this.path})`);
  }

  /** A name unique in the app for a resource of this stack. */
  public physicalName(logicalId: string): string {
    const h = crypto.createHash('sha256').update(this.path).digest('hex').slice(0, 6);
    return `${logicalId.slice(0, 50)}-${h}`;
  }

  public ref(id: string): string {
    switch (id) {
      case 'AWS::Partition': return PARTITION;
      case 'AWS::Region': return REGION;
      case 'AWS::AccountId': return ACCOUNT;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return this.path.replace(/\//g, '-');
      case 'AWS::NoValue': return '';
    }
    if (this.template.Parameters?.[id] !== undefined && !this.template.Resources[id]) {
      if (!this.parent) throw new Error(`app-resolver: parameter ${id} of ${this.path} has no parent stack`);
      const stackResource = this.parent.resolver.resource(this.parent.logicalId);
      const passed = (stackResource.Properties?.Parameters as { [k: string]: Json } | undefined)?.[id];
      if (passed === undefined) throw new Error(`app-resolver: ${this.path} parameter ${id} is not passed by its parent`);
      return this.parent.resolver.resolve(passed) as string;
    }
    const resource = this.resource(id);
    const unique = `${this.path}/${id}`;
    switch (resource.Type) {
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        return this.physicalName(id);
      case 'AWS::IAM::ManagedPolicy': return `arn:${PARTITION}:iam::${ACCOUNT}:policy/${this.physicalName(id)}`;
      case 'AWS::KMS::Key': return keyId(unique);
      case 'AWS::EC2::VPC': return fixtureId('vpc-', unique, 17);
      case 'AWS::EC2::Subnet': return fixtureId('subnet-', unique, 17);
      case 'AWS::EC2::SecurityGroup': return fixtureId('sg-', unique, 17);
      case 'AWS::EC2::VPCEndpoint': return fixtureId('vpce-', unique, 17);
      case 'AWS::S3::Bucket': return (this.resolve(resource.Properties?.BucketName) as string) ?? this.physicalName(id).toLowerCase();
      case 'AWS::SageMaker::Domain': return this.getAtt(id, 'DomainId');
      default: return this.physicalName(id);
    }
  }

  public getAtt(id: string, attr: string): string {
    const resource = this.resource(id);
    const p = resource.Properties ?? {};
    const unique = `${this.path}/${id}`;
    const sagemakerArn = (path: string) => `arn:${PARTITION}:sagemaker:${REGION}:${ACCOUNT}:${path}`;
    if (resource.Type === 'AWS::CloudFormation::Stack' && attr.startsWith('Outputs.')) {
      const nested = this.app.nestedOf(this, id);
      return nested.resolve(nested.template.Outputs![attr.slice('Outputs.'.length)].Value) as string;
    }
    switch (`${resource.Type}.${attr}`) {
      case 'AWS::IAM::Role.Arn': return `arn:${PARTITION}:iam::${ACCOUNT}:role/${this.ref(id)}`;
      case 'AWS::KMS::Key.Arn': return `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/${this.ref(id)}`;
      case 'AWS::EC2::SecurityGroup.GroupId': return this.ref(id);
      case 'AWS::EC2::VPC.CidrBlock': return (p.CidrBlock as string) ?? '10.0.0.0/16';
      case 'AWS::EC2::VPC.DefaultSecurityGroup': return fixtureId('sg-', `${unique}/default`, 17);
      case 'AWS::S3::Bucket.Arn': return `arn:${PARTITION}:s3:::${this.ref(id)}`;
      case 'AWS::SageMaker::Domain.DomainId': return fixtureId('d-', unique, 12);
      case 'AWS::SageMaker::Domain.DomainArn': return sagemakerArn(`domain/${this.getAtt(id, 'DomainId')}`);
      case 'AWS::SageMaker::Domain.SecurityGroupIdForDomainBoundary': return fixtureId('sg-', `${unique}/boundary`, 17);
      case 'AWS::SageMaker::Domain.HomeEfsFileSystemId': return fixtureId('fs-', unique, 17);
      case 'AWS::SageMaker::Domain.Url': return `https://${this.getAtt(id, 'DomainId')}.studio.${REGION}.sagemaker.aws`;
      case 'AWS::SageMaker::UserProfile.UserProfileArn':
        return sagemakerArn(`user-profile/${this.resolve(p.DomainId)}/${String(this.resolve(p.UserProfileName))}`);
      case 'AWS::SageMaker::Space.SpaceArn':
        return sagemakerArn(`space/${this.resolve(p.DomainId)}/${String(this.resolve(p.SpaceName))}`);
      case 'AWS::EC2::Subnet.SubnetId': return this.ref(id);
      case 'AWS::EC2::RouteTable.RouteTableId': return this.ref(id);
      default:
        throw new Error(`app-resolver: no fixture for ${resource.Type}.${attr} (${id} in ${this.path})`);
    }
  }

  /** The resolved documents of every customer-managed policy of this stack attached to a role. */
  public policiesOf(roleLogicalId: string): { name: string; policy: Json }[] {
    const attached = (list: Json) => Array.isArray(list) && list.some((r) => (r as { Ref?: string }).Ref === roleLogicalId);
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && attached(r.Properties?.Roles))
      .map(([id, r]) => ({ name: id, policy: this.resolve(r.Properties!.PolicyDocument) }));
  }

  public resource(id: string): CfnResource {
    const resource = this.template.Resources[id];
    if (!resource) throw new Error(`app-resolver: no resource ${id} in ${this.path}`);
    return resource;
  }
}

/** Every stack of an app (nested ones included), resolvable together. */
export class AppResolver {
  private readonly byPath = new Map<string, StackResolver>();
  private readonly byStack = new Map<Stack, StackResolver>();

  /** Synthesizes `root`'s app (once) and reads every stack below it. */
  constructor(root: IConstruct) {
    const stacks = root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    // parents before their nested stacks
    stacks.sort((a, b) => a.node.scopes.length - b.node.scopes.length);
    for (const stack of stacks) {
      const template = Template.fromStack(stack).toJSON() as CfnTemplate;
      let parent: { resolver: StackResolver; logicalId: string } | undefined;
      if (NestedStack.isNestedStack(stack)) {
        const parentStack = stack.nestedStackParent!;
        const logicalId = parentStack.resolve((stack.nestedStackResource as { logicalId: string }).logicalId);
        parent = { resolver: this.byStack.get(parentStack)!, logicalId };
      }
      const resolver = new StackResolver(this, stack.node.path, template, parent);
      this.byPath.set(stack.node.path, resolver);
      this.byStack.set(stack, resolver);
    }
  }

  /** The resolver of a stack. */
  public of(stack: Stack): StackResolver {
    const r = this.byStack.get(stack);
    if (!r) throw new Error(`app-resolver: ${stack.node.path} is not a stack of the app`);
    return r;
  }

  /** The deploy-time value of a construct attribute (a token) in the stack that owns `scope`. */
  public value(scope: IConstruct, token: unknown): string {
    const stack = Stack.of(scope);
    return this.of(stack).resolve(stack.resolve(token)) as string;
  }

  /** Every stack resolver. */
  public get stacks(): StackResolver[] {
    return [...this.byPath.values()];
  }

  /** The resolved documents of every customer-managed policy of the app attached to the role named `roleName`. */
  public policiesOfRole(roleName: string): { name: string; policy: Json }[] {
    const found: { name: string; policy: Json }[] = [];
    for (const r of this.byPath.values()) {
      for (const [id, res] of Object.entries(r.template.Resources)) {
        if (res.Type !== 'AWS::IAM::ManagedPolicy') continue;
        const roles = (r.resolve(res.Properties?.Roles ?? []) as string[]);
        if (roles.includes(roleName)) found.push({ name: id, policy: r.resolve(res.Properties!.PolicyDocument) });
      }
    }
    return found;
  }

  public importValue(name: string): Json {
    for (const r of this.byPath.values()) {
      for (const output of Object.values(r.template.Outputs ?? {})) {
        if (output.Export && r.resolve(output.Export.Name) === name) return r.resolve(output.Value);
      }
    }
    throw new Error(`app-resolver: no stack exports ${name}`);
  }

  public nestedOf(parent: StackResolver, logicalId: string): StackResolver {
    for (const [stack, r] of this.byStack) {
      if (NestedStack.isNestedStack(stack) && this.byStack.get(stack.nestedStackParent!) === parent
        && stack.nestedStackParent!.resolve((stack.nestedStackResource as { logicalId: string }).logicalId) === logicalId) {
        return r;
      }
    }
    throw new Error(`app-resolver: no nested stack ${logicalId} in ${parent.path}`);
  }

  /** The resolved key policy or bucket policy that governs `arn`, wherever in the app it is. */
  public resourcePolicyOf(arn: string): Json {
    for (const r of this.byPath.values()) {
      for (const [id, res] of Object.entries(r.template.Resources)) {
        if (res.Type === 'AWS::KMS::Key' && r.getAtt(id, 'Arn') === arn) return r.resolve(res.Properties!.KeyPolicy);
        if (res.Type === 'AWS::S3::BucketPolicy') {
          const bucket = r.resolve(res.Properties!.Bucket);
          if (arn === `arn:${PARTITION}:s3:::${bucket}` || arn.startsWith(`arn:${PARTITION}:s3:::${bucket}/`)) {
            return r.resolve(res.Properties!.PolicyDocument);
          }
        }
      }
    }
    return undefined;
  }
}

function keyId(unique: string): string {
  const h = crypto.createHash('sha256').update(unique).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
