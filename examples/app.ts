/**
 * The app `npx cdk synth` runs: every example stack of the library, synthesized without AWS
 * credentials, with the four compliance packs and the CloudFormation validation as synth-time checks.
 */
import { App } from 'aws-cdk-lib';
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
import { ReviewReport } from '../src';

const app = new App();
addCompliancePacks(app);
const env = exampleEnv(app);

new SecureDataStack(app, 'SecureData', { env });
new PlatformNetworkStack(app, 'PlatformNetwork', { env });

new SecureStudioStack(app, 'SecureStudio', { env });

new GpuTrainingClusterStack(app, 'GpuTrainingCluster', { env });

new EmployeeRetentionFeaturesStack(app, 'EmployeeRetentionFeatures', { env });

new EmployeeRetentionPipelineStack(app, 'EmployeeRetentionPipeline', { env });
new EmployeeRetentionMlToolsStack(app, 'EmployeeRetentionMlTools', { env });

new EmployeeRetentionEndpointStack(app, 'EmployeeRetentionEndpoint', { env });
new GpuInferenceComponentsStack(app, 'GpuInferenceComponents', { env });

new EmployeeRetentionPlatform(app, 'Platform', { env });

// REVIEW.md beside the templates, for the people who approve deployments (reads the assembly, re-runs no check)
ReviewReport.write(app, app.synth());
