/**
 * Limits the platform module checks at synth, one row each, with where it comes from.
 */

/**
 * Team names. A team name is part of its domain name (`<platformName>-<teamName>`, 63 characters,
 * `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`: SageMaker API reference, CreateDomain), of its shared space name
 * (`<teamName>-shared`, same pattern: CreateSpace), of an S3 key prefix and of tag values. Lowercase
 * letters, digits and hyphens fit all of them; 32 characters leave room for a 24-character platform name
 * and the hyphen in the domain name (24 + 1 + 32 = 57 <= 63).
 */
export const TEAM_NAME = {
  pattern: /^[a-z0-9](-*[a-z0-9]){0,31}$/,
  maxLength: 32,
  description: '1-32 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
} as const;

/**
 * Platform names: part of domain names (see TEAM_NAME), key aliases and the data bucket name
 * `<platformName>-data-<account>-<region>` (S3 user guide, bucket naming rules: "Bucket names must be
 * between 3 (min) and 63 (max) characters long": 24 + 6 + 12 + 1 + 14 for the longest Region names = 57).
 */
export const PLATFORM_NAME = {
  pattern: /^[a-z0-9](-*[a-z0-9]){0,23}$/,
  maxLength: 24,
  description: '1-24 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
} as const;

/**
 * Resources per template. CloudFormation user guide, quotas: "Resources: Maximum number of resources
 * that you can declare in your AWS CloudFormation template: 500". Nested stacks count separately.
 */
export const MAX_TEMPLATE_RESOURCES = 500;

/** S3 user guide, bucket policies: "Bucket policies are limited to 20 KB in size." */
export const BUCKET_POLICY_MAX_BYTES = 20_480;
