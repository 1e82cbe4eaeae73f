/**
 * SageMaker Studio service rules the CloudFormation schema does not enforce at synth, one row each,
 * with the sentence of the SageMaker documentation it comes from.
 */

/** A numeric range of a SageMaker API field. */
export interface StudioRange {
  readonly min: number;
  readonly max: number;
  /** Where the range is documented. */
  readonly source: string;
}

/**
 * Names of domains, user profiles, spaces and Studio lifecycle configurations.
 * API reference, CreateDomain / CreateUserProfile / CreateSpace / CreateStudioLifecycleConfig:
 * "Length Constraints: Maximum length of 63. Pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}".
 */
export const STUDIO_NAME = {
  pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
  maxLength: 63,
  description: '1-63 letters, digits and hyphens, starting and ending with a letter or digit',
} as const;

/**
 * Idle shutdown of JupyterLab and Code Editor apps.
 * API reference, IdleSettings: "IdleTimeoutInMinutes ... Valid Range: Minimum value of 60. Maximum
 * value of 525600." (the same range for MinIdleTimeoutInMinutes and MaxIdleTimeoutInMinutes).
 */
export const IDLE_TIMEOUT_MINUTES: StudioRange = {
  min: 60,
  max: 525_600,
  source: 'SageMaker API reference, IdleSettings',
};

/**
 * EBS volumes of spaces.
 * API reference, DefaultEbsStorageSettings: "DefaultEbsVolumeSizeInGb ... Valid Range: Minimum value
 * of 5. Maximum value of 16384." (the same range for MaximumEbsVolumeSizeInGb, and for
 * EbsStorageSettings.EbsVolumeSizeInGb of a space).
 */
export const EBS_VOLUME_GIB: StudioRange = {
  min: 5,
  max: 16_384,
  source: 'SageMaker API reference, DefaultEbsStorageSettings',
};

/**
 * Studio lifecycle configuration scripts.
 * Developer guide, "Lifecycle configurations with JupyterLab": "Each script has a limit of 16,384
 * characters." API reference, CreateStudioLifecycleConfig: "StudioLifecycleConfigContent: The content
 * of your Amazon SageMaker AI Studio Lifecycle Configuration script. This content must be base64
 * encoded. Length Constraints: Minimum length of 1. Maximum length of 16384." The binding limit is on
 * the base64 text, so a script may have at most 12,288 bytes.
 */
export const LIFECYCLE_CONTENT_BASE64_MAX = 16_384;

/**
 * Subnets of a VpcOnly domain.
 * Developer guide, "Connect Studio notebooks in a VPC to external resources", requirements of VPC only
 * mode: "You must use private subnets only" and "using subnets distributed across many Availability
 * Zones improves availability"; the platform requires at least two, in different Availability Zones.
 */
export const MIN_DOMAIN_SUBNETS = 2;
