/**
 * Turns the IAM policies of a synthesized template into concrete JSON an IAM simulator can read:
 * every Ref, Fn::GetAtt, Fn::Join, Fn::Select and Fn::Split resolves to a deterministic fixture value
 * (account 123456789012, us-east-1), the way CloudFormation would resolve it at deploy time.
 */
import * as crypto from 'crypto';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const PARTITION = 'aws';

export type Json = unknown;
interface CfnResource { readonly Type: string; readonly Properties?: { [key: string]: Json } }
export interface CfnTemplate { readonly Resources: { [logicalId: string]: CfnResource } }

/** A stable fixture ID with a prefix, derived from a logical ID (`sg-` + 17 hex, `d-` + 12 chars ...). */
export function fixtureId(prefix: string, logicalId: string, length: number): string {
  return `${prefix}${crypto.createHash('sha256').update(logicalId).digest('hex').slice(0, length)}`;
}

/** What resolves the references of one template. */
export interface IntrinsicResolver {
  ref(id: string): Json;
  getAtt(id: string, attr: string): Json;
  /** Intrinsics beyond Ref, GetAtt, Join, Select and Split; undefined when not handled. */
  other?(fn: string, arg: Json): Json | undefined;
}

/**
 * Walks a template fragment and resolves Ref, Fn::GetAtt, Fn::Join, Fn::Select and Fn::Split (and what
 * `resolver.other` handles) to concrete values; any other intrinsic is an error naming `where`.
 */
export function resolveIntrinsics(value: Json, resolver: IntrinsicResolver, where: string): Json {
  const resolve = (v: Json): Json => resolveIntrinsics(v, resolver, where);
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const o = value as { [key: string]: Json };
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = o[fn];
    switch (fn) {
      case 'Ref': return resolver.ref(arg as string);
      case 'Fn::GetAtt': {
        const [id, attr] = arg as [string, string];
        return resolver.getAtt(id, attr);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, Json[]];
        return (resolve(parts) as Json[]).map(String).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [Json, Json];
        return (resolve(list) as Json[])[Number(resolve(index))];
      }
      case 'Fn::Split': {
        const [sep, text] = arg as [string, Json];
        return String(resolve(text)).split(sep);
      }
      default: {
        const handled = fn.startsWith('Fn::') ? resolver.other?.(fn, arg) : undefined;
        if (handled !== undefined) return handled;
        if (fn.startsWith('Fn::')) throw new Error(`${where}: unsupported intrinsic ${fn}`);
      }
    }
  }
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(o)) out[k] = resolve(v);
  return out;
}

export class TemplateResolver {
  constructor(private readonly template: CfnTemplate) {}

  /** The concrete value of any template fragment. */
  public resolve(value: Json): Json {
    return resolveIntrinsics(value, this, 'iam-resolver');
  }

  /** Physical name or ID of a resource, or a pseudo parameter. */
  public ref(id: string): string {
    switch (id) {
      case 'AWS::Partition': return PARTITION;
      case 'AWS::Region': return REGION;
      case 'AWS::AccountId': return ACCOUNT;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return 'TestStack';
    }
    const resource = this.resource(id);
    switch (resource.Type) {
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        return id;
      case 'AWS::IAM::ManagedPolicy': return `arn:${PARTITION}:iam::${ACCOUNT}:policy/${id}`;
      case 'AWS::KMS::Key': return keyId(id);
      case 'AWS::EC2::VPC': return fixtureId('vpc-', id, 17);
      case 'AWS::EC2::Subnet': return fixtureId('subnet-', id, 17);
      case 'AWS::EC2::SecurityGroup': return fixtureId('sg-', id, 17);
      case 'AWS::EC2::VPCEndpoint': return fixtureId('vpce-', id, 17);
      case 'AWS::S3::Bucket': return (resource.Properties?.BucketName as string) ?? id.toLowerCase();
      case 'AWS::SageMaker::Domain': return this.getAtt(id, 'DomainId');
      default: return id;
    }
  }

  /** An attribute of a resource. */
  public getAtt(id: string, attr: string): string {
    const resource = this.resource(id);
    const p = resource.Properties ?? {};
    const sagemakerArn = (path: string) => `arn:${PARTITION}:sagemaker:${REGION}:${ACCOUNT}:${path}`;
    switch (`${resource.Type}.${attr}`) {
      case 'AWS::IAM::Role.Arn': return `arn:${PARTITION}:iam::${ACCOUNT}:role/${id}`;
      case 'AWS::IAM::User.Arn': return `arn:${PARTITION}:iam::${ACCOUNT}:user/${id}`;
      case 'AWS::KMS::Key.Arn': return `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/${keyId(id)}`;
      case 'AWS::EC2::SecurityGroup.GroupId': return this.ref(id);
      case 'AWS::EC2::VPC.CidrBlock': return (p.CidrBlock as string) ?? '10.0.0.0/16';
      case 'AWS::S3::Bucket.Arn': return `arn:${PARTITION}:s3:::${this.ref(id)}`;
      case 'AWS::SageMaker::Domain.DomainId': return fixtureId('d-', id, 12);
      case 'AWS::SageMaker::Domain.DomainArn': return sagemakerArn(`domain/${this.getAtt(id, 'DomainId')}`);
      case 'AWS::SageMaker::UserProfile.UserProfileArn':
        return sagemakerArn(`user-profile/${this.resolve(p.DomainId)}/${String(this.resolve(p.UserProfileName))}`);
      case 'AWS::SageMaker::Space.SpaceArn':
        return sagemakerArn(`space/${this.resolve(p.DomainId)}/${String(this.resolve(p.SpaceName))}`);
      default:
        throw new Error(`iam-resolver: no fixture for ${resource.Type}.${attr} (${id})`);
    }
  }

  /** The logical ID of the only resource of a type whose properties contain `match`. */
  public logicalId(type: string, predicate: (props: { [key: string]: Json }, id: string) => boolean): string {
    const ids = Object.entries(this.template.Resources)
      .filter(([id, r]) => r.Type === type && predicate(r.Properties ?? {}, id)).map(([id]) => id);
    if (ids.length !== 1) throw new Error(`iam-resolver: expected one ${type}, found ${ids.length} (${ids.join(', ')})`);
    return ids[0];
  }

  /** The resolved documents of every customer-managed policy attached to a role, user or group. */
  public policiesOf(identityLogicalId: string): { name: string; policy: Json }[] {
    const attached = (list: Json) => Array.isArray(list) && list.some((r) => (r as { Ref?: string }).Ref === identityLogicalId);
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy'
        && (attached(r.Properties?.Roles) || attached(r.Properties?.Users) || attached(r.Properties?.Groups)))
      .map(([id, r]) => ({ name: id, policy: this.resolve(r.Properties!.PolicyDocument) }));
  }

  private resource(id: string): CfnResource {
    const resource = this.template.Resources[id];
    if (!resource) throw new Error(`iam-resolver: no resource ${id} in the template`);
    return resource;
  }
}

function keyId(logicalId: string): string {
  const h = crypto.createHash('sha256').update(logicalId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
