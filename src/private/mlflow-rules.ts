/**
 * Amazon SageMaker managed MLflow tracking server rules, one row each, with the sentence of the SageMaker
 * documentation it comes from.
 */

/**
 * Sizes of a tracking server.
 * SageMaker API reference, CreateMlflowTrackingServer: "TrackingServerSize: The size of the tracking
 * server you want to create. You can choose between "Small", "Medium", and "Large". The default MLflow
 * Tracking Server configuration size is "Small". ... We recommend using a small tracking server for
 * teams of up to 25 users, a medium tracking server for teams of up to 50 users, and a large tracking
 * server for teams of up to 100 users. Valid Values: Small | Medium | Large".
 */
export const MLFLOW_TRACKING_SERVER_SIZES = ['Small', 'Medium', 'Large'];

/**
 * Tracking server names.
 * SageMaker API reference, CreateMlflowTrackingServer: "TrackingServerName: A unique string identifying
 * the tracking server name. This string is part of the tracking server ARN. Length Constraints: Minimum
 * length of 1. Maximum length of 256. Pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}".
 */
export const MLFLOW_TRACKING_SERVER_NAME = {
  pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/,
  maxLength: 256,
  description: '1-256 letters, digits and hyphens, starting and ending with a letter or digit',
} as const;

/**
 * MLflow versions.
 * CloudFormation, AWS::SageMaker::MlflowTrackingServer: "MlflowVersion ... Pattern: ^\d+(\.\d+)+$,
 * Minimum: 1, Maximum: 32". Which versions the service runs is listed in the developer guide ("MLflow
 * tracking servers", How it works); the service rejects others at deployment.
 */
export const MLFLOW_VERSION = {
  pattern: /^\d+(\.\d+)+$/,
  maxLength: 32,
  description: 'a version number such as 2.16.2',
} as const;

/**
 * Weekly maintenance window.
 * SageMaker API reference, CreateMlflowTrackingServer: "WeeklyMaintenanceWindowStart: The day and time
 * of the week in Coordinated Universal Time (UTC) 24-hour standard time that weekly maintenance updates
 * are scheduled. For example: TUE:03:30. Length Constraints: Maximum length of 9. Pattern:
 * (Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]\d|2[0-3]):([0-5]\d)".
 */
export const MLFLOW_MAINTENANCE_WINDOW = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Artifact store location.
 * CloudFormation, AWS::SageMaker::MlflowTrackingServer: "ArtifactStoreUri ... Pattern:
 * ^s3:\/\/([^\/]+)\/?(.*)$, Minimum: 1, Maximum: 2048".
 */
export const MLFLOW_ARTIFACT_STORE_URI_MAX = 2048;

/**
 * The interface endpoint of the MLflow tracking servers: `aws.sagemaker.<region>.experiments`.
 * Developer guide, "Connecting to an MLflow tracking server through an Interface VPC Endpoint": "You
 * can connect to an MLflow tracking server from an endpoint in your own VPC. Your requests to the
 * tracking server are not exposed to the public internet." and "In addition to creating an interface
 * endpoint to connect to SageMaker AI MLflow, create an interface endpoint to connect to the Amazon
 * SageMaker API" (for CreatePresignedMlflowTrackingServerUrl). aws-cdk-lib names the service
 * `InterfaceVpcEndpointAwsService.SAGEMAKER_EXPERIMENTS` ("experiments", prefix "aws.sagemaker").
 */
export const MLFLOW_ENDPOINT = { name: 'experiments', prefix: 'aws.sagemaker' } as const;
