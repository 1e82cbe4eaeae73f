/**
 * Shapes shared by the domain-teardown handlers (the provider framework's onEvent/isComplete contract).
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EFSClient } from '@aws-sdk/client-efs';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { RetryOptions } from '../shared/retry';

/** What the provider framework passes to onEvent (and, with onEvent's extra fields, to isComplete). */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly LogicalResourceId?: string;
  readonly StackId?: string;
  readonly ResourceProperties: { readonly [key: string]: unknown };
  readonly OldResourceProperties?: { readonly [key: string]: unknown };
  /** Fields returned by onEvent reach isComplete here. */
  readonly [key: string]: unknown;
}

/** What onEvent returns; extra fields are passed to isComplete. */
export interface OnEventResult {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly [key: string]: string };
  readonly [key: string]: unknown;
}

/** What isComplete returns. */
export interface IsCompleteResult {
  readonly IsComplete: boolean;
  readonly Data?: { readonly [key: string]: string };
}

/** The AWS clients and knobs the handlers use; tests pass mocks. */
export interface TeardownContext {
  readonly sagemaker: SageMakerClient;
  readonly ec2: EC2Client;
  readonly efs: EFSClient;
  readonly retry?: RetryOptions;
  readonly log?: (message: string, details?: { [key: string]: unknown }) => void;
}

/**
 * Tags the "before" step writes on the SageMaker-created NFS security groups and home EFS of a domain,
 * so the "after" step, which cannot reference the deleted domain, finds them. The construct uses the
 * same keys in its IAM conditions (src/studio/domain-teardown.ts).
 */
export const TEARDOWN_TAG = 'cdk-sagemaker-platform:domain-teardown';
export const DOMAIN_ID_TAG = 'cdk-sagemaker-platform:domain-id';
export const HOME_EFS_TAG = 'cdk-sagemaker-platform:home-efs';

/** The tag SageMaker puts on the resources it creates for a domain; its value is the domain ARN. */
export const SAGEMAKER_MANAGED_TAG = 'ManagedByAmazonSageMakerResource';

/** Tag CloudFormation adds to the resources of a stack: spaces that carry it are left to CloudFormation. */
export const CLOUDFORMATION_STACK_TAG = 'aws:cloudformation:stack-id';

/** The two phases, one custom resource each. */
export const PHASE_BEFORE = 'BeforeDomainDeletion';
export const PHASE_AFTER = 'AfterDomainDeletion';

/** A required string property, with an error that names it. */
export function requiredString(properties: { readonly [key: string]: unknown }, name: string): string {
  const value = properties[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`Property ${name} is required, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** CloudFormation passes booleans as strings. */
export function booleanProperty(properties: { readonly [key: string]: unknown }, name: string): boolean {
  const value = properties[name];
  return value === true || value === 'true';
}
