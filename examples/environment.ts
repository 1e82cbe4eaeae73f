import { App, Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { SageMakerPlatformChecks } from '../src/nag';

/**
 * The account and Region the examples synthesize for. Fixed values keep `cdk synth` free of
 * credentials and lookups; pass `-c account=... -c region=...` to deploy somewhere real.
 */
export function exampleEnv(app: App): Environment {
  return {
    account: app.node.tryGetContext('account') ?? '123456789012',
    region: app.node.tryGetContext('region') ?? 'us-east-1',
  };
}

/** Registers the four compliance packs the platform promises to pass, and its own rule pack, as synth-time validation. */
export function addCompliancePacks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new SageMakerPlatformChecks(app),
  );
}
