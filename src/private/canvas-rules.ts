/**
 * Amazon SageMaker Canvas service rules the CloudFormation schema cannot express, one row each, with
 * the sentence of the SageMaker documentation it comes from.
 */

/** The Canvas capabilities that need further endpoints or permissions (values of `CanvasFeature`). */
export const CANVAS_CORE = 'CORE';

/** The interface endpoints one Canvas capability calls in a VPC without internet access. */
export interface CanvasEndpointRule {
  /** `CORE` (every Canvas user) or a `CanvasFeature` value. */
  readonly feature: string;
  /** Endpoint service names after `com.amazonaws.<region>.`. */
  readonly services: string[];
  /** Why the capability calls them. */
  readonly reason: string;
  /** Where it is documented. */
  readonly source: string;
}

/**
 * Developer guide, "Configure Amazon SageMaker Canvas in a VPC without internet access", Step 2: "The
 * following are the VPC endpoints for each service you can use with SageMaker Canvas" (table), and
 * "In order to configure Canvas in your own VPC, you must enable private DNS hostnames for your VPC
 * endpoints". Only the rows a capability uses are registered: the table also lists Amazon Athena,
 * Amazon Redshift (`redshift-data`) and AWS Secrets Manager, which only the Athena, Redshift and
 * Snowflake data sources use (not enabled by this library), and `notebook`, which only a browser
 * inside the VPC uses to reach the app (as `StudioDomainProps.studioUiEndpoint` for Studio).
 */
export const CANVAS_ENDPOINT_RULES: CanvasEndpointRule[] = [
  {
    feature: CANVAS_CORE,
    services: ['sagemaker.api', 'sagemaker.runtime', 'sts', 'logs', 'monitoring', 'ecr.api', 'ecr.dkr', 'ec2', 'ssm'],
    reason: 'the Canvas app calls the SageMaker API and runtime (builds, models, in-app predictions), STS, CloudWatch and '
      + 'CloudWatch Logs, Amazon ECR and AWS Systems Manager; it calls EC2 (DescribeVpcEndpointServices) to find the '
      + 'endpoints, and runs standard builds in the VPC only when it finds them',
    source: 'Developer guide, "Configure Amazon SageMaker Canvas in a VPC without internet access": table rows Amazon '
      + 'SageMaker (sagemaker.api, sagemaker.runtime), AWS Security Token Service, Amazon ECR (ecr.api, ecr.dkr), Amazon EC2, '
      + 'AWS Systems Manager, Amazon CloudWatch, Amazon CloudWatch Logs; Step 3: "SageMaker Canvas requires these permissions '
      + '[ec2:DescribeVpcEndpointServices] to verify the existence of the required VPC endpoints for standard build jobs. If '
      + 'it detects these VPC endpoints, then standard build jobs run by default in your VPC. Otherwise, they will run in the '
      + 'default AWS managed VPC."',
  },
  {
    feature: 'TIME_SERIES_FORECASTING',
    services: ['forecast', 'forecastquery'],
    reason: 'time-series forecasting through Amazon Forecast',
    source: 'Developer guide, "Configure Amazon SageMaker Canvas in a VPC without internet access": table row Amazon Forecast '
      + '(com.amazonaws.Region.forecast, com.amazonaws.Region.forecastquery).',
  },
  {
    feature: 'READY_TO_USE_MODELS',
    services: ['textract', 'rekognition', 'comprehend'],
    reason: 'the ready-to-use models call Amazon Textract, Amazon Rekognition and Amazon Comprehend',
    source: 'Developer guide, "AWS managed policies for Amazon SageMaker Canvas", AmazonSageMakerCanvasAIServicesAccess: '
      + '"This policy grants permissions for Amazon SageMaker Canvas to use Amazon Textract, Amazon Rekognition, Amazon '
      + 'Comprehend, and Amazon Bedrock."',
  },
  {
    feature: 'GENERATIVE_AI',
    services: ['bedrock-runtime', 'bedrock'],
    reason: 'chatting with foundation models calls Amazon Bedrock (bedrock:InvokeModel on bedrock-runtime, '
      + 'bedrock:ListFoundationModels on the bedrock control plane)',
    source: 'Developer guide, "AWS managed policies for Amazon SageMaker Canvas", AmazonSageMakerCanvasAIServicesAccess: '
      + '"bedrock – Allows principals to use Amazon Bedrock to list and invoke foundation models."',
  },
  {
    feature: 'MODEL_REGISTRATION',
    services: [],
    reason: 'registration calls the SageMaker API (CreateModelPackage), already a core endpoint',
    source: 'SageMaker API reference, CreateModelPackage (SageMaker API).',
  },
  {
    feature: 'BATCH_PREDICTIONS',
    services: [],
    reason: 'batch predictions are transform jobs created through the SageMaker API, already a core endpoint',
    source: 'SageMaker API reference, CreateTransformJob (SageMaker API).',
  },
];

/** The endpoint service names a set of Canvas features needs, core first, without duplicates. */
export function canvasEndpointServices(features: string[]): string[] {
  const names: string[] = [];
  for (const rule of CANVAS_ENDPOINT_RULES) {
    if (rule.feature !== CANVAS_CORE && !features.includes(rule.feature)) continue;
    for (const service of rule.services) if (!names.includes(service)) names.push(service);
  }
  return names;
}

/**
 * The Amazon Forecast API actions Canvas calls for time-series forecasting, all on resources whose
 * names contain "Canvas".
 * Developer guide, "AWS managed policies for Amazon SageMaker Canvas", AmazonSageMakerCanvasFullAccess,
 * statement ForecastOperations (Resource "arn:aws:forecast:*:*:*Canvas*").
 */
export const CANVAS_FORECAST_ACTIONS = [
  'forecast:CreateExplainabilityExport', 'forecast:CreateExplainability', 'forecast:CreateForecastEndpoint',
  'forecast:CreateAutoPredictor', 'forecast:CreateDatasetImportJob', 'forecast:CreateDatasetGroup', 'forecast:CreateDataset',
  'forecast:CreateForecast', 'forecast:CreateForecastExportJob', 'forecast:CreatePredictorBacktestExportJob',
  'forecast:CreatePredictor', 'forecast:DescribeExplainabilityExport', 'forecast:DescribeExplainability',
  'forecast:DescribeAutoPredictor', 'forecast:DescribeForecastEndpoint', 'forecast:DescribeDatasetImportJob',
  'forecast:DescribeDataset', 'forecast:DescribeForecast', 'forecast:DescribeForecastExportJob',
  'forecast:DescribePredictorBacktestExportJob', 'forecast:GetAccuracyMetrics', 'forecast:InvokeForecastEndpoint',
  'forecast:GetRecentForecastContext', 'forecast:DescribePredictor', 'forecast:TagResource', 'forecast:DeleteResourceTree',
];

/**
 * The ready-to-use model actions.
 * Developer guide, "AWS managed policies for Amazon SageMaker Canvas", AmazonSageMakerCanvasAIServicesAccess,
 * statements Textract, Rekognition and Comprehend (Resource "*": these actions have no resource types).
 */
export const CANVAS_READY_TO_USE_ACTIONS = [
  'textract:AnalyzeDocument', 'textract:AnalyzeExpense', 'textract:AnalyzeID', 'textract:StartDocumentAnalysis',
  'textract:StartExpenseAnalysis', 'textract:GetDocumentAnalysis', 'textract:GetExpenseAnalysis',
  'rekognition:DetectLabels', 'rekognition:DetectText',
  'comprehend:BatchDetectDominantLanguage', 'comprehend:BatchDetectEntities', 'comprehend:BatchDetectSentiment',
  'comprehend:DetectPiiEntities', 'comprehend:DetectEntities', 'comprehend:DetectSentiment', 'comprehend:DetectDominantLanguage',
];

/**
 * Names Canvas gives the SageMaker resources it creates.
 * Developer guide, "AWS managed policies for Amazon SageMaker Canvas", AmazonSageMakerCanvasFullAccess:
 * "Allows principals to create and host SageMaker AI models on resources whose ARN contains "Canvas",
 * "canvas"". SageMaker writes job, model and endpoint names in lower case in their ARNs, so `canvas*`
 * covers both spellings.
 */
export const CANVAS_RESOURCE_NAME_PREFIX = 'canvas';

/**
 * Workspace location.
 * SageMaker API reference, WorkspaceSettings: "S3ArtifactPath: The Amazon S3 bucket used to store
 * artifacts generated by Canvas. Updating the Amazon S3 location impacts existing configuration
 * settings, and Canvas users no longer have access to their artifacts. Canvas users must log out and
 * log back in to apply the new location. Length Constraints: Maximum length of 1024. Pattern:
 * ^(https|s3)://([^/]+)/?(.*)$"; "S3KmsKeyId: The Amazon Web Services Key Management Service (KMS)
 * encryption key ID that is used to encrypt artifacts generated by Canvas in the Amazon S3 bucket."
 */
export const CANVAS_WORKSPACE_PATH_MAX = 1024;
