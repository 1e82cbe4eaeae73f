/**
 * The app `npx cdk synth` runs: every example stack of the library, synthesized without AWS
 * credentials, with the four compliance packs and the CloudFormation validation as synth-time checks.
 */
import { App } from 'aws-cdk-lib';
import { addCompliancePacks, exampleEnv } from './environment';
import { SecureDataStack } from './secure-data';

const app = new App();
addCompliancePacks(app);
const env = exampleEnv(app);

new SecureDataStack(app, 'SecureData', { env });

app.synth();
