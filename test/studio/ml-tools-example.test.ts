import { EmployeeRetentionMlToolsStack } from '../../examples/ml-tools';
import { compliantTemplate, testApp, TEST_ENV } from '../harness';

describe('the ML tools example (EmployeeRetentionMlToolsStack)', () => {
  // GIVEN the example stack, as examples/app.ts synthesizes it
  const stack = new EmployeeRetentionMlToolsStack(testApp(), 'EmployeeRetentionMlTools', { env: TEST_ENV });
  const template = compliantTemplate(stack);

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('has Canvas for the analyst only, an MLflow server and the pipeline', () => {
    template.resourceCountIs('Custom::SageMakerPlatformCanvasSettings', 1);
    template.hasResourceProperties('Custom::SageMakerPlatformCanvasSettings', { UserProfileNames: ['analyst'] });
    template.resourceCountIs('AWS::SageMaker::MlflowTrackingServer', 1);
    template.resourceCountIs('AWS::SageMaker::Pipeline', 1);
    expect(stack.canvas.userProfiles.map((u) => u.userProfileName)).toEqual(['analyst']);
  });

  test('the pipeline prepares the data with Data Wrangler, and reports to MLflow', () => {
    const body = JSON.stringify(template.findResources('AWS::SageMaker::Pipeline'));
    expect(body).toContain('sagemaker-data-wrangler-container:3.x');
    expect(body).toContain('MLFLOW_TRACKING_URI');
    expect(body).toContain('mlflow-tracking-server/employee-retention');
  });

  test('the network has the endpoints Canvas, MLflow and the pipeline call', () => {
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => JSON.stringify(e.Properties.ServiceName));
    for (const name of ['sagemaker.api', 'monitoring', 'ec2', 'ssm', 'aws.sagemaker.us-east-1.experiments']) {
      expect(services.some((s) => s.includes(name))).toBe(true);
    }
  });
});
