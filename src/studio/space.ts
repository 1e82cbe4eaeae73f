import { IResource, RemovalPolicy, Resource, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IDependable } from 'constructs';
import { StudioAppType } from './lifecycle-config';
import type { IStudioDomain } from './studio-domain';
import { EBS_VOLUME_GIB, STUDIO_NAME } from '../private/studio-rules';
import { PropsValidator } from '../private/validation';

/**
 * A Studio space.
 */
export interface ISpace extends IResource {
  /**
   * The space name, unique in its domain.
   * @attribute
   */
  readonly spaceName: string;

  /**
   * The space ARN.
   * @attribute
   */
  readonly spaceArn: string;

  /** The domain the space belongs to. */
  readonly domain: IStudioDomain;
}

/**
 * What a space accepts besides its domain and name (what `StudioDomain.addSharedSpace` takes).
 */
export interface SpaceOptions {
  /**
   * The name shown in the Studio UI.
   *
   * @default - the space name
   */
  readonly displayName?: string;

  /**
   * The application the space runs.
   *
   * @default StudioAppType.JUPYTER_LAB
   */
  readonly appType?: StudioAppType;

  /**
   * Size of the space's EBS volume, within the domain's maximum.
   *
   * @default - the domain's default EBS volume size
   */
  readonly ebsVolumeSize?: Size;

  /**
   * The instance type new apps of the space start on (from the domain's allowlist when it has one).
   *
   * @default - the domain's default (the service uses ml.t3.medium)
   */
  readonly instanceType?: string;

  /**
   * What happens to the space (and the EBS volume with its users' work) when it leaves the stack.
   *
   * @default - the domain's removal policy (RETAIN unless the domain opted in to DESTROY)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Properties of a {@link Space}.
 */
export interface SpaceProps extends SpaceOptions {
  /** The domain the space belongs to. */
  readonly domain: IStudioDomain;

  /** The space name: 1-63 letters, digits and hyphens, starting and ending with a letter or digit. */
  readonly spaceName: string;

  /**
   * The user profile that owns a private space. The profile must exist in the same stack or already
   * be deployed; CloudFormation creates the space after it when it is a construct of this app.
   *
   * @default - a shared space that every user of the domain can open
   */
  readonly ownerUserProfileName?: string;
}

/**
 * Attributes of an existing space.
 */
export interface SpaceAttributes {
  /** The domain the space belongs to. */
  readonly domain: IStudioDomain;

  /** The space name. */
  readonly spaceName: string;
}

/**
 * Shared behaviour of created and imported spaces.
 */
export abstract class SpaceBase extends Resource implements ISpace {
  public abstract readonly spaceName: string;
  public abstract readonly spaceArn: string;
  public abstract readonly domain: IStudioDomain;

  /** Lets the grantee read the space's description (`DescribeSpace`). */
  public grantDescribe(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:DescribeSpace'], resourceArns: [this.spaceArn] });
  }
}

/**
 * A Studio space: a private space owned by one user profile (`SharingType: Private`), or a shared
 * space every user of the domain can open (`SharingType: Shared`). A space's EBS volume holds its
 * users' work, so the space is retained by default.
 *
 * @example
 * new Space(this, 'TeamSpace', { domain, spaceName: 'team-fraud' });
 */
export class Space extends SpaceBase {
  /** Imports an existing space. */
  public static fromSpaceAttributes(scope: Construct, id: string, attrs: SpaceAttributes): ISpace {
    class Import extends SpaceBase {
      public readonly spaceName = attrs.spaceName;
      public readonly domain = attrs.domain;
      public readonly spaceArn = spaceArn(scope, attrs.domain, attrs.spaceName);
    }
    return new Import(scope, id);
  }

  public readonly spaceName: string;
  public readonly spaceArn: string;
  public readonly domain: IStudioDomain;

  /** The owner of a private space; undefined for a shared space. */
  public readonly ownerUserProfileName?: string;

  /** The application the space runs. */
  public readonly appType: StudioAppType;

  constructor(scope: Construct, id: string, props: SpaceProps) {
    validateSpaceProps(scope, id, props);
    super(scope, id, { physicalName: props.spaceName });
    this.domain = props.domain;
    this.spaceName = props.spaceName;
    this.ownerUserProfileName = props.ownerUserProfileName;
    this.appType = props.appType ?? StudioAppType.JUPYTER_LAB;

    const resourceSpec = props.instanceType ? { instanceType: props.instanceType } : undefined;
    const resource = new sagemaker.CfnSpace(this, 'Resource', {
      domainId: this.domain.domainId,
      spaceName: this.spaceName,
      spaceDisplayName: props.displayName,
      ownershipSettings: props.ownerUserProfileName ? { ownerUserProfileName: props.ownerUserProfileName } : undefined,
      spaceSharingSettings: { sharingType: props.ownerUserProfileName ? 'Private' : 'Shared' },
      spaceSettings: {
        appType: this.appType,
        jupyterLabAppSettings: this.appType === StudioAppType.JUPYTER_LAB && resourceSpec ? { defaultResourceSpec: resourceSpec } : undefined,
        codeEditorAppSettings: this.appType === StudioAppType.CODE_EDITOR && resourceSpec ? { defaultResourceSpec: resourceSpec } : undefined,
        spaceStorageSettings: props.ebsVolumeSize
          ? { ebsStorageSettings: { ebsVolumeSizeInGb: props.ebsVolumeSize.toGibibytes() } }
          : undefined,
      },
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? domainRemovalPolicy(this.domain));
    this.spaceArn = resource.attrSpaceArn;
    // a StudioDomain with a teardown deletes the space's apps before CloudFormation deletes the space
    (this.domain as { _registerDomainChild?: (child: IDependable) => void })._registerDomainChild?.(resource);
  }
}

function spaceArn(scope: Construct, domain: IStudioDomain, name: string): string {
  return Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'space', resourceName: `${domain.domainId}/${name}` });
}

function domainRemovalPolicy(domain: IStudioDomain): RemovalPolicy {
  const policy = (domain as { removalPolicy?: RemovalPolicy }).removalPolicy;
  return policy ?? RemovalPolicy.RETAIN;
}

function validateSpaceProps(scope: Construct, id: string, props: SpaceProps): void {
  const v = PropsValidator.forNew('Space', scope, id);
  v.pattern('spaceName', props.spaceName, STUDIO_NAME.pattern, STUDIO_NAME.description, STUDIO_NAME.maxLength);
  v.pattern('ownerUserProfileName', props.ownerUserProfileName, STUDIO_NAME.pattern, STUDIO_NAME.description, STUDIO_NAME.maxLength);
  const ebs = props.ebsVolumeSize && !props.ebsVolumeSize.isUnresolved()
    ? props.ebsVolumeSize.toGibibytes({ rounding: SizeRoundingBehavior.NONE }) : undefined;
  v.range('ebsVolumeSize (GiB)', ebs, EBS_VOLUME_GIB.min, EBS_VOLUME_GIB.max);
  const allowed = props.domain.appInstanceTypes;
  if (props.instanceType !== undefined && !Token.isUnresolved(props.instanceType) && allowed && !Token.isUnresolved(allowed)
    && !allowed.includes(props.instanceType)) {
    v.error(`instanceType must be one of the domain's appInstanceTypes (${allowed.join(', ')}), got '${props.instanceType}'`);
  }
  v.throwIfInvalid();
}
