/**
 * An AWS service that platform workloads reach through an interface VPC endpoint.
 *
 * Constructs declare the services they need with `IPlatformNetwork.addInterfaceEndpoints`; the
 * network creates each endpoint once. The name is the suffix after `com.amazonaws.<region>.`.
 */
export class InterfaceEndpointService {
  /** SageMaker API (`CreateTrainingJob`, `CreatePresignedDomainUrl`, ...). */
  public static readonly SAGEMAKER_API = new InterfaceEndpointService('sagemaker.api');
  /** SageMaker Runtime (`InvokeEndpoint`). */
  public static readonly SAGEMAKER_RUNTIME = new InterfaceEndpointService('sagemaker.runtime');
  /** SageMaker Feature Store Runtime (`PutRecord`, `GetRecord`). */
  public static readonly SAGEMAKER_FEATURESTORE_RUNTIME = new InterfaceEndpointService('sagemaker.featurestore-runtime');
  /** SageMaker Studio UI (`aws.sagemaker.<region>.studio`). */
  public static readonly SAGEMAKER_STUDIO = new InterfaceEndpointService('studio', 'aws.sagemaker');
  /** SageMaker notebook UI (`aws.sagemaker.<region>.notebook`). */
  public static readonly SAGEMAKER_NOTEBOOK = new InterfaceEndpointService('notebook', 'aws.sagemaker');
  /** AWS STS. */
  public static readonly STS = new InterfaceEndpointService('sts');
  /** CloudWatch Logs. */
  public static readonly LOGS = new InterfaceEndpointService('logs');
  /** CloudWatch metrics. */
  public static readonly MONITORING = new InterfaceEndpointService('monitoring');
  /** Amazon ECR API. */
  public static readonly ECR_API = new InterfaceEndpointService('ecr.api');
  /** Amazon ECR Docker registry. */
  public static readonly ECR_DKR = new InterfaceEndpointService('ecr.dkr');
  /** AWS Service Catalog (SageMaker Projects). */
  public static readonly SERVICE_CATALOG = new InterfaceEndpointService('servicecatalog');
  /** AWS Glue (Feature Store offline store catalog). */
  public static readonly GLUE = new InterfaceEndpointService('glue');
  /** Amazon Athena (offline store queries). */
  public static readonly ATHENA = new InterfaceEndpointService('athena');
  /** AWS KMS. */
  public static readonly KMS = new InterfaceEndpointService('kms');
  /** Amazon EC2 API. */
  public static readonly EC2 = new InterfaceEndpointService('ec2');
  /** AWS Systems Manager. */
  public static readonly SSM = new InterfaceEndpointService('ssm');
  /** Systems Manager Session Manager channels. */
  public static readonly SSM_MESSAGES = new InterfaceEndpointService('ssmmessages');
  /** Systems Manager agent messages. */
  public static readonly EC2_MESSAGES = new InterfaceEndpointService('ec2messages');
  /** Amazon EKS. */
  public static readonly EKS = new InterfaceEndpointService('eks');
  /** EKS Pod Identity. */
  public static readonly EKS_AUTH = new InterfaceEndpointService('eks-auth');
  /** Amazon SNS. */
  public static readonly SNS = new InterfaceEndpointService('sns');
  /** Amazon SQS. */
  public static readonly SQS = new InterfaceEndpointService('sqs');
  /** Amazon EventBridge. */
  public static readonly EVENTS = new InterfaceEndpointService('events');
  /** AWS Lambda. */
  public static readonly LAMBDA = new InterfaceEndpointService('lambda');
  /** AWS Step Functions. */
  public static readonly STEP_FUNCTIONS = new InterfaceEndpointService('states');
  /** Application Auto Scaling. */
  public static readonly APPLICATION_AUTOSCALING = new InterfaceEndpointService('application-autoscaling');
  /** Amazon Elastic File System. */
  public static readonly ELASTIC_FILESYSTEM = new InterfaceEndpointService('elasticfilesystem');

  /**
   * A service not listed here, by its endpoint name suffix (for example `codeartifact.api`).
   */
  public static of(name: string, prefix = 'com.amazonaws'): InterfaceEndpointService {
    return new InterfaceEndpointService(name, prefix);
  }

  /**
   * @param name the service name after the Region, for example `sagemaker.api`
   * @param prefix what comes before the Region: `com.amazonaws` for most services
   */
  private constructor(public readonly name: string, public readonly prefix: string = 'com.amazonaws') {}

  /** A stable key for de-duplication and construct IDs. */
  public get key(): string {
    return `${this.prefix}.${this.name}`;
  }
}
