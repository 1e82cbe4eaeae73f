/**
 * The app `npx cdk synth` runs: every example stack of the library, synthesized without AWS
 * credentials, with the four compliance packs and the CloudFormation validation as synth-time checks.
 *
 * `-c examples=Platform,SecureStudio` synthesizes only the named examples (ids as below).
 */
import * as path from 'path';
import { App, Environment, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addCompliancePacks, exampleEnv } from './environment';
import { EmployeeRetentionFeaturesStack } from './feature-store';
import { EmployeeRetentionEndpointStack, GpuInferenceComponentsStack } from './inference';
import { EmployeeRetentionMlToolsStack } from './ml-tools';
import { PlatformNetworkStack } from './network';
import { EmployeeRetentionPipelineStack } from './pipelines';
import { EmployeeRetentionPlatform } from './platform';
import { SecureDataStack } from './secure-data';
import { SecureStudioStack } from './studio';
import { GpuTrainingClusterStack } from './training';
import { WorkerCloudFormationValidatePlugin } from './worker-validation';
import { ReviewReport } from '../src';

type Example = new (scope: Construct, id: string, props: { env: Environment }) => Construct;

/** Every example, by the id its stacks get. */
const EXAMPLES: Record<string, Example> = {
  SecureData: SecureDataStack,
  PlatformNetwork: PlatformNetworkStack,
  SecureStudio: SecureStudioStack,
  GpuTrainingCluster: GpuTrainingClusterStack,
  EmployeeRetentionFeatures: EmployeeRetentionFeaturesStack,
  EmployeeRetentionPipeline: EmployeeRetentionPipelineStack,
  EmployeeRetentionMlTools: EmployeeRetentionMlToolsStack,
  EmployeeRetentionEndpoint: EmployeeRetentionEndpointStack,
  GpuInferenceComponents: GpuInferenceComponentsStack,
  // the main example: the whole platform in the four stacks a platform team deploys
  Platform: EmployeeRetentionPlatform,
};

const app = new App();
addCompliancePacks(app);
// aws-cdk-lib's CloudFormation validation, its engine started in a worker while the app loads and
// constructs (it replaces the built-in instance; `--no-validation` / CDK_VALIDATION=false still turn it
// off). The options match the early worker examples/synth.mjs starts, so the plugin adopts that one.
if (process.env.CDK_VALIDATION !== 'false') {
  Validations.of(app).addPlugins(new WorkerCloudFormationValidatePlugin({
    outdir: app.outdir,
    resourceTypesFile: path.join(__dirname, '..', 'node_modules', '.cache', 'cdk-sagemaker-platform', 'resource-types.json'),
  }));
}
const env = exampleEnv(app);

const selected: string | undefined = app.node.tryGetContext('examples');
const ids = selected ? selected.split(',').map((id) => id.trim()).filter((id) => id) : Object.keys(EXAMPLES);
const unknown = ids.filter((id) => !(id in EXAMPLES));
if (unknown.length > 0) {
  throw new Error(`-c examples: unknown example(s) ${unknown.join(', ')}; choose from ${Object.keys(EXAMPLES).join(', ')}`);
}
for (const id of ids) new EXAMPLES[id](app, id, { env });

// REVIEW.md beside the templates, for the people who approve deployments (reads the assembly, re-runs no check)
ReviewReport.write(app, app.synth());
