import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { nagResourceDetail } from './nag-detail';

/**
 * Every rule finding the library acknowledges, in one place, with the reason a reviewer reads.
 *
 * An entry is applied to exactly one CloudFormation resource at a time (never to a stack or a
 * subtree), one finding id per `Validations.acknowledge` call. The test harness fails on any
 * acknowledgment that is not listed here, not attached to a single resource, or not worded as
 * it is here; the review report lists them all.
 */
export const ACKNOWLEDGMENTS = {
  // ----- security -----
  /** The bucket that receives S3 server access logs cannot usefully log to itself. */
  ACCESS_LOG_BUCKET_NOT_LOGGED: {
    findings: [
      'AwsSolutions-S1',
      'HIPAA.Security-S3BucketLoggingEnabled',
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'PCI.DSS.321-S3BucketLoggingEnabled',
    ],
    reason: 'This bucket is the server-access-log target of the platform buckets; logging it to itself would loop. '
      + 'Access to it is covered by CloudTrail data events where the account enables them.',
  },
  /** S3 only delivers server access logs to SSE-S3 encrypted targets. */
  ACCESS_LOG_BUCKET_SSE_S3: {
    findings: [
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'PCI.DSS.321-S3DefaultEncryptionKMS',
    ],
    reason: 'Amazon S3 server access log delivery supports only SSE-S3 default encryption on the target bucket '
      + '(SSE-KMS is not supported for log delivery); the logs are still encrypted at rest with AES-256.',
  },
  /** Replication to another Region is the data owner's choice. */
  BUCKET_NOT_REPLICATED: {
    findings: [
      'HIPAA.Security-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'PCI.DSS.321-S3BucketReplicationEnabled',
    ],
    reason: 'Cross-Region replication copies regulated data out of its Region and doubles storage cost, so it is a '
      + 'data-residency decision for the data owner. Versioning, RETAIN and KMS protect the data in its Region.',
  },

  // ----- network (entries of the network module go below this line) -----

  // ----- custom-resources (entries of the custom-resources module go below this line) -----
  /** Deploy-time custom-resource functions (handlers and the provider framework) run outside the VPC. */
  CUSTOM_RESOURCE_OUTSIDE_VPC: {
    findings: [
      'HIPAA.Security-LambdaInsideVPC',
      'NIST.800.53.R5-LambdaInsideVPC',
      'PCI.DSS.321-LambdaInsideVPC',
    ],
    reason: 'Deploy-time custom-resource function: it runs only while CloudFormation creates, updates or deletes the stack, '
      + 'calls only AWS control-plane APIs (SageMaker, EC2, EFS, Service Catalog, SSM, Lambda, Step Functions) with a role '
      + 'scoped to the resources of its stack, and reads or writes no customer data. Inside the VPC-only network it would need '
      + 'interface endpoints for every one of those services (hourly cost in every AZ, for minutes of use per deployment), and '
      + 'its network interfaces, which Lambda releases only minutes after deletion, would block the deletion of the subnets '
      + 'and security groups that the domain teardown cleans up.',
  },
  /** Errors of custom-resource functions go back to CloudFormation, not to a queue. */
  CUSTOM_RESOURCE_NO_DLQ: {
    findings: [
      'HIPAA.Security-LambdaDLQ',
      'NIST.800.53.R5-LambdaDLQ',
    ],
    reason: 'Custom-resource function: the provider framework reports every failure to CloudFormation, which fails and rolls '
      + 'back the stack operation and shows the error in the stack events; the full error is in the KMS-encrypted log group. '
      + 'A dead-letter queue would only hold copies of CloudFormation events, including their presigned response URLs, '
      + 'that no one can replay once the stack operation has ended.',
  },
  /** X-Ray and Step Functions log delivery have no resource-level permissions. */
  CUSTOM_RESOURCE_WAITER_SERVICE_WIDE: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Role of the custom-resource provider\'s waiter state machine: AWS X-Ray (PutTraceSegments, PutTelemetryRecords, '
      + 'GetSamplingRules, GetSamplingTargets) and the CloudWatch Logs vended-log delivery actions Step Functions needs for '
      + 'logging support only Resource "*" (Service Authorization Reference); none of them reads or changes data.',
  },
  /** The domain teardown acts on resources whose IDs exist only at deploy or delete time. */
  DOMAIN_TEARDOWN_WILDCARDS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Studio domain teardown: sagemaker:ListApps, sagemaker:ListSpaces and ec2:DescribeSecurityGroups support only '
      + 'Resource "*" (read-only, filtered by domain ID or VPC in the handler). The apps and spaces are created by users at '
      + 'run time, so DeleteApp/DeleteSpace are scoped to the ARN prefix of this one domain (app/<domainId>/*, '
      + 'space/<domainId>/*). The NFS security groups and home EFS are created by SageMaker, so their IDs are unknown at '
      + 'synth: tagging is allowed only on resources SageMaker tagged with this domain\'s ARN, and deletion only on '
      + 'resources in the domain\'s VPC that carry this teardown\'s tag; mount-target network interfaces only in that VPC.',
  },
  /** SageMaker Projects enabling is account-wide and the portfolio ID exists only after it. */
  PROJECTS_ENABLER_WILDCARDS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker Projects enabler: sagemaker:EnableSagemakerServicecatalogPortfolio, '
      + 'sagemaker:GetSagemakerServicecatalogPortfolioStatus and servicecatalog:ListAcceptedPortfolioShares support only '
      + 'Resource "*" (account-level switch and listing). The SageMaker project-template portfolio is shared into the '
      + 'account by SageMaker when Projects are enabled, so its ID and owning account are unknown at synth; the role may '
      + 'only accept that share and associate or disassociate principals with Service Catalog portfolios of this Region.',
  },

  // ----- studio (entries of the studio module go below this line) -----
  /** A Studio user's own policy: job, model, space, app and object names are chosen at run time. */
  STUDIO_USER_RESOURCE_NAMES: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Execution policy of one Studio user: the names of the training, processing, tuning, AutoML and transform jobs, '
      + 'models, spaces and apps the user creates are chosen at run time, so each ARN ends in "*" but stays within the account, '
      + 'Region and resource type (spaces and apps within the domain ID). Every allow is further conditioned: job creation on the '
      + 'platform subnets, security groups, KMS keys, inter-container encryption, instance allowlist and the user\'s owner tag; '
      + 'job management on that owner tag; spaces and apps on sagemaker:OwnerUserProfileArn and sagemaker:SpaceSharingType; '
      + 'tagging on sagemaker:TaggingAction. S3 objects are limited to the user\'s own key prefix.',
  },
  /** Run-time permissions shared by a domain's user roles: some actions have no resource-level permissions. */
  STUDIO_USER_RUNTIME_WILDCARDS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Run-time policy shared by the Studio user roles of one domain: ec2:Describe*, ecr:GetAuthorizationToken, '
      + 'cloudwatch:PutMetricData (limited to the /aws/sagemaker/* namespaces) and the SageMaker List actions support only '
      + 'Resource "*" (Service Authorization Reference) and read no data; the network interfaces, /aws/sagemaker/* log groups '
      + 'and streams, ECR repositories of the account, and the spaces and apps of this domain that SageMaker jobs and Studio '
      + 'create are named at run time. Network interfaces are created only in the platform subnets and security groups and '
      + 'deleted only in the platform VPC (ec2:Vpc).',
  },
  /** The person's Studio access policy: the console's List calls have no resource-level permissions. */
  STUDIO_HUMAN_ACCESS_LISTING: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Access policy of the person behind one Studio user profile: sagemaker:ListDomains, ListUserProfiles, ListSpaces '
      + 'and ListApps, which the console calls before opening Studio, support only Resource "*" (Service Authorization '
      + 'Reference) and return names, not data. Opening Studio (CreatePresignedDomainUrl) is limited to the user\'s own profile ARN.',
  },
  /** A Canvas user's policy: Canvas names its jobs, models and endpoints at run time. */
  CANVAS_USER_RESOURCE_NAMES: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker Canvas policy of one Studio user: Canvas names the AutoML jobs, models, prediction endpoints and transform '
      + 'jobs it creates at run time, always starting with "Canvas" (written in lower case in ARNs), so they are granted as '
      + 'canvas* of their resource type in this account and Region; job creation still meets the domain\'s explicit job-guardrail '
      + 'denies (subnets, security groups, KMS keys, instance types). The Canvas app is the user\'s own (app/<domain>/<user>/canvas/* '
      + 'or an app of type canvas in a private space the user owns). Workspace objects are limited to the team\'s key prefix, '
      + 'model versions to the platform registry\'s group (registered as PendingManualApproval), Forecast resources to names '
      + 'containing "Canvas". The SageMaker List actions, ec2:DescribeVpcEndpointServices and DescribeVpcEndpoints (Canvas finds '
      + 'the VPC endpoints with them), bedrock:ListFoundationModels and the Textract, Rekognition and Comprehend detection actions '
      + 'of the ready-to-use models support only Resource "*" (Service Authorization Reference).',
  },
  /** The Canvas workspace prefix: Canvas and Forecast write objects with generated names. */
  CANVAS_WORKSPACE_OBJECTS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Role SageMaker Canvas passes to Amazon Forecast: Canvas and Forecast read and write datasets, models and forecasts '
      + 'with generated object keys below the Canvas workspace prefix, so objects are granted by that one prefix of that one '
      + 'platform bucket (SSE-KMS, TLS only); its key only through Amazon S3 (kms:ViaService).',
  },
  /** The MLflow tracking server writes artifacts with generated keys below its artifact prefix. */
  MLFLOW_ARTIFACT_OBJECTS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Role of a SageMaker MLflow tracking server: MLflow stores run artifacts under <artifact prefix>/<experiment '
      + 'id>/<run id>/artifacts/..., IDs generated at run time, so objects are granted by the server\'s own artifact prefix of '
      + 'the platform bucket (SSE-KMS, TLS only), and its key only through Amazon S3 (kms:ViaService).',
  },
  /** Access to one MLflow tracking server: MLflow's REST API actions. */
  MLFLOW_TRACKING_SERVER_ACCESS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Access to one SageMaker MLflow tracking server: sagemaker-mlflow:* are the MLflow REST API actions (runs, '
      + 'experiments, metrics, registered models), a set that grows with each MLflow version; the statement names this one '
      + 'tracking server\'s ARN, so no other server and no other service is reachable with it.',
  },
  /** Automatic registration creates model package groups named after MLflow registered models. */
  MLFLOW_AUTOMATIC_MODEL_REGISTRATION: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Role of a SageMaker MLflow tracking server with automatic model registration (an explicit opt-in): the server '
      + 'creates a SageMaker model package group named after each MLflow registered model, and versions in it, names chosen by '
      + 'the data scientists at run time; the actions only create, describe and update model packages and groups in this '
      + 'account and Region, and registered versions stay PendingManualApproval.',
  },

  // ----- feature-store (entries of the feature-store module go below this line) -----
  /** Object-level S3 permissions on the objects below one feature group's offline store prefix. */
  FEATURE_STORE_OFFLINE_OBJECTS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Feature Store writes the offline store as Parquet files (and Iceberg metadata) under object keys it generates below '
      + 'the feature group\'s own prefix (<prefix>/<account>/sagemaker/<region>/offline-store/<group>-<creation time>/...), and '
      + 'queries read those same objects; object-level S3 permissions for them need a wildcard for the generated part of the '
      + 'key. The resource is that one prefix in that one bucket, which holds no other data.',
  },
  /** The Glue table Feature Store creates for the offline store is named with its creation time. */
  FEATURE_STORE_GLUE_TABLE: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Feature Store creates the offline store\'s Glue table in the sagemaker_featurestore database and names it '
      + '<feature group name>_<creation timestamp>; the timestamp is only known after the group exists, so the table ARN ends '
      + 'in a wildcard after the group\'s own name. The actions are limited to reading (and, for the Feature Store role, '
      + 'updating) that table definition.',
  },
  /** Athena names query result objects by query execution ID. */
  FEATURE_STORE_QUERY_RESULTS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Amazon Athena writes each query\'s results to <output location>/<query execution ID>.csv (and .metadata); the IDs '
      + 'are generated per query, so reading and writing results needs a wildcard below the feature group\'s own results '
      + 'prefix of its query workgroup, which enforces that location and encrypts the results with KMS.',
  },

  // ----- pipelines (entries of the pipelines module go below this line) -----
  /** Job ARNs under a pipeline's job-name prefix. */
  PIPELINE_JOB_NAME_PREFIX: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker pipeline execution role: SageMaker Pipelines names each job it creates <job prefix>-<step>-<execution '
      + 'suffix>, where the suffix is generated per execution, so the job ARNs can only be named by prefix. The prefix is '
      + 'unique to this pipeline, the actions are only the create/describe/stop actions of the job types its steps use, and '
      + 'the create action carries the network-isolation, encryption, KMS-key and VPC conditions of its steps.',
  },
  /** S3 objects under the prefixes pipeline steps read and write. */
  PIPELINE_STEP_DATA_PREFIXES: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker pipeline step data: jobs read every object under their input prefixes and write objects with '
      + 'generated names under their output prefixes, so object ARNs are granted per prefix. Each prefix is one a step of '
      + 'the pipeline names with PipelineValue.fromS3Location, and the actions are only s3:GetObject on inputs and '
      + 's3:PutObject/s3:AbortMultipartUpload on outputs (the pipeline role only reads the results it evaluates).',
  },
  /** The version ARNs of a model package group. */
  MODEL_PACKAGE_VERSIONS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker model registry: each registration creates model-package/<group>/<version>, with a version number '
      + 'the service assigns, so versions are granted by their group prefix. Only the groups the pipeline registers to or '
      + 'reads baselines from (or a principal is explicitly granted) are named, and registration is limited to the approval '
      + 'status its steps use when that status is known at synth.',
  },
  /** Experiment trials named per pipeline execution. */
  PIPELINE_EXPERIMENT_TRIALS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker pipeline experiment tracking (opted in with experimentConfig): the pipeline creates a trial named '
      + 'after each execution ID and associates trial components named after its jobs, names generated at run time. The '
      + 'actions only create, describe and associate experiment metadata; no data or compute is involved.',
  },
  /** Run-time permissions of a pipeline step role (SageMakerPolicies.jobExecution). */
  PIPELINE_STEP_ROLE_RUNTIME: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Run-time policy of a role that SageMaker pipeline jobs run with: ec2:Describe*, ecr:GetAuthorizationToken and '
      + 'cloudwatch:PutMetricData (limited to the /aws/sagemaker/* namespaces) support only Resource "*" (Service '
      + 'Authorization Reference) and read no data; the network interfaces, /aws/sagemaker/* log groups and streams and the '
      + 'ECR repositories of the account that jobs use are named at run time. Network interfaces are created only in the '
      + 'platform subnets and security groups and deleted only in the platform VPC (ec2:Vpc).',
  },
  /** Pipeline execution ARNs, for grants on executions. */
  PIPELINE_EXECUTIONS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker pipeline executions: their ARNs are pipeline/<name>/execution/<id> with an ID generated per '
      + 'execution, so a grant on the executions of one pipeline names them by that pipeline\'s prefix.',
  },

  // ----- training (entries of the training module go below this line) -----
  /** HyperPod node roles: the cluster's log group is named after an ID known only after creation; some actions have no resources. */
  HYPERPOD_NODE_ROLE_WILDCARDS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'HyperPod instance-group execution role (the scoped form of AmazonSageMakerClusterInstanceRolePolicy): HyperPod '
      + 'names the cluster\'s log group /aws/sagemaker/Clusters/<cluster-name>/<cluster-id> and the cluster ID exists only '
      + 'after the cluster that uses this role is created, so logs are scoped to log-group:/aws/sagemaker/Clusters/<this '
      + 'cluster\'s name>/* and its streams. cloudwatch:PutMetricData and the ssmmessages channel actions support only '
      + 'Resource "*" (Service Authorization Reference); PutMetricData is limited to the /aws/sagemaker/Clusters namespace by '
      + 'condition. Lifecycle scripts are readable object by object, with no wildcard.',
  },
  /** EFA needs all traffic between the members of the cluster's security group. */
  HYPERPOD_EFA_SELF_TRAFFIC: {
    findings: [
      'HIPAA.Security-EC2RestrictedCommonPorts',
      'NIST.800.53.R5-EC2RestrictedCommonPorts',
      'PCI.DSS.321-EC2RestrictedCommonPorts',
    ],
    reason: 'Self-referencing rule of the HyperPod cluster\'s security group: its source is the group itself, not an '
      + 'address range, so it admits only the cluster\'s own nodes and file system. The EC2 user guide requires an EFA '
      + 'security group to allow all inbound and outbound traffic to and from itself (EFA\'s SRD transport is not TCP or '
      + 'UDP, so no port list can express it); Slurm, NCCL and Lustre between the nodes use the same rule.',
  },
  /** The EKS control plane reaches kubelet and admission webhooks on the HyperPod nodes. */
  HYPERPOD_EKS_CONTROL_PLANE_TRAFFIC: {
    findings: [
      'HIPAA.Security-EC2RestrictedCommonPorts',
      'NIST.800.53.R5-EC2RestrictedCommonPorts',
      'PCI.DSS.321-EC2RestrictedCommonPorts',
    ],
    reason: 'Rule of the HyperPod cluster\'s security group whose source is the EKS cluster security group (no address '
      + 'range): the EKS control plane connects to kubelet and to admission webhooks that pods serve on ports chosen at run '
      + 'time, which is why EKS gives its cluster security group all traffic between the control plane and the nodes.',
  },
  /** HyperPod creates the nodes' ENIs itself; their IDs do not exist at synth. */
  HYPERPOD_NODE_INTERFACES: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'HyperPod instance-group execution role: SageMaker creates, tags, detaches (auto-resume) and deletes the nodes\' '
      + 'network interfaces with this role, so their IDs exist only at run time. ENIs can be created only in the cluster\'s '
      + 'subnets with the cluster\'s security group; detach, delete and permission changes only on ENIs of the cluster\'s '
      + 'VPC (ec2:Vpc condition); tags only when creating an ENI. The instance side of DetachNetworkInterface is a HyperPod '
      + 'node in the service\'s account. ec2:Describe* support only Resource "*" and are read-only.',
  },
  /** EKS nodes pull images from repositories chosen at run time by the workloads. */
  HYPERPOD_EKS_NODE_WILDCARDS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'HyperPod EKS node role: kubelet pulls the images of the pods scheduled on the node (EKS add-ons from the AWS '
      + 'regional ECR accounts, HyperPod agents, the teams\' own images), which are chosen at run time, so image-pull '
      + 'actions name ECR repositories of this Region only. ecr:GetAuthorizationToken supports only Resource "*". Pod '
      + 'identity is limited to this EKS cluster.',
  },
  /** The lifecycle-script uploader runs outside the VPC, like the platform's other custom-resource functions. */
  HYPERPOD_UPLOADER_OUTSIDE_VPC: {
    findings: [
      'HIPAA.Security-LambdaInsideVPC',
      'NIST.800.53.R5-LambdaInsideVPC',
      'PCI.DSS.321-LambdaInsideVPC',
    ],
    reason: 'Deploy-time function (aws-cdk-lib AwsCustomResource) that writes the HyperPod lifecycle scripts generated by '
      + 'this library to the cluster\'s lifecycle bucket: it runs only while CloudFormation deploys the stack, calls only '
      + 's3:PutObject on those named objects (SSE-KMS), and handles no customer data. Outside the VPC it needs no ENI '
      + 'permissions and no S3 gateway-endpoint exception for CloudFormation\'s response bucket, and leaves no network '
      + 'interfaces that would block deleting the subnets.',
  },
  /** Failures of the uploader go back to CloudFormation. */
  HYPERPOD_UPLOADER_NO_DLQ: {
    findings: [
      'HIPAA.Security-LambdaDLQ',
      'NIST.800.53.R5-LambdaDLQ',
    ],
    reason: 'AwsCustomResource function: it reports every failure of its S3 call to CloudFormation, which fails and rolls '
      + 'back the deployment and shows the error in the stack events; details are in the KMS-encrypted log group. A '
      + 'dead-letter queue would only hold CloudFormation requests with presigned response URLs that cannot be replayed.',
  },

  // ----- inference (entries of the inference module go below this line) -----
  /** SageMaker roles need a few actions that support only Resource "*". */
  INFERENCE_SERVICE_WIDE_ACTIONS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Role that SageMaker assumes for a model, an endpoint or a monitoring job: ecr:GetAuthorizationToken, the EC2 '
      + 'Describe calls SageMaker makes before it attaches network interfaces in the platform VPC, and cloudwatch:PutMetricData '
      + '(limited by the cloudwatch:namespace condition to the SageMaker namespaces) support only Resource "*" (Service '
      + 'Authorization Reference); none of them reads or changes data.',
  },
  /** SageMaker creates the network interfaces of models and jobs, so their IDs are not known in advance. */
  INFERENCE_NETWORK_INTERFACES: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker creates the network interfaces of a model or a monitoring job in the platform VPC, so their IDs do not '
      + 'exist before it does: creating one is allowed only together with the platform subnets and the construct\'s own '
      + 'security group (named by ARN in the same statement), and deleting one only in the platform VPC (ec2:Vpc condition).',
  },
  /** SageMaker reads and writes objects whose keys it generates, under one prefix. */
  INFERENCE_OBJECT_PREFIXES: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker reads or writes objects whose keys it generates (captured requests and responses, asynchronous inference '
      + 'inputs, outputs and failures, monitoring reports, the artifacts of registered model versions) under one key prefix of '
      + 'a platform bucket: the statement names that prefix of that bucket, allows only s3:GetObject or s3:PutObject, and the '
      + 'bucket enforces SSE-KMS and TLS.',
  },
  /** SageMaker names the log streams of its jobs in a log group of fixed name. */
  INFERENCE_JOB_LOG_STREAMS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'SageMaker writes the logs of processing jobs (Model Monitor runs as one) to the account\'s log group of fixed '
      + 'name /aws/sagemaker/ProcessingJobs, one log stream per job named by SageMaker when the job starts: the statement '
      + 'names that one log group, and allows only creating streams in it, writing to them and listing them.',
  },
  /** Callers of an asynchronous endpoint upload each request as a new object under its input prefix. */
  ASYNC_INFERENCE_REQUEST_UPLOADS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Caller of an asynchronous SageMaker endpoint: it uploads each request as a new object, named per request, under '
      + 'the endpoint\'s input prefix and passes its location to InvokeEndpointAsync; the statement allows only s3:PutObject, '
      + 'only under that prefix of the platform bucket, which enforces SSE-KMS and TLS.',
  },
  /** The service rejects a KMS volume key on instance types with local NVMe storage. */
  INFERENCE_LOCAL_NVME_VOLUME: {
    findings: [
      'HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured',
      'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured',
      'PCI.DSS.321-SageMakerEndpointConfigurationKMSKeyConfigured',
    ],
    reason: 'The endpoint runs on an instance type with local NVMe instance storage, for which SageMaker rejects a KMS key '
      + '("You can\'t request a KmsKeyId when using an instance type with local storage", CreateEndpointConfig): the instance '
      + 'store is encrypted by the Nitro hardware module with keys that never leave the instance. Captured data, asynchronous '
      + 'outputs, notifications and logs are still encrypted with the platform key.',
  },
  /** The scaling guard deregisters scalable targets, which have opaque IDs. */
  SCALING_GUARD_TARGETS: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Scaling-guard custom resource: Application Auto Scaling names scalable targets by an opaque ID '
      + '(scalable-target/<id>), so a policy cannot name them in advance. The statement allows only DeregisterScalableTarget, '
      + 'only in the sagemaker namespace and the variant instance-count dimension, and only on targets that carry the tag the '
      + 'platform puts on the scalable targets of its endpoints.',
  },

  // ----- platform (entries of the platform module go below this line) -----
  /** A team's access policy: objects below the team's prefix have names chosen at run time. */
  PLATFORM_TEAM_DATA_PREFIX: {
    findings: ['AwsSolutions-IAM5'],
    reason: 'Access policy of one platform team (its members\' execution roles and its shared-space role): the team reads '
      + 'and writes objects whose keys its members choose at run time, so objects are granted by the team\'s own prefix '
      + 'teams/<team>/ of the one platform data bucket (SSE-KMS, TLS only), listing only with s3:prefix below it, and the '
      + 'bucket\'s key only through Amazon S3 (kms:ViaService) for objects of that bucket (kms:EncryptionContext:aws:s3:arn). '
      + 'The bucket policy also denies the prefix to roles tagged with another team.',
  },
} as const;

/** The name of an acknowledgment in {@link ACKNOWLEDGMENTS}. */
export type AcknowledgmentName = keyof typeof ACKNOWLEDGMENTS;

/**
 * Acknowledges the findings of one registry entry on one CloudFormation resource.
 *
 * @param resource the CfnResource, or an L2 whose default child is one
 * @param name the registry entry
 * @param appliesTo finding details for rules that report them (cdk-nag's `Rule[Detail]` form, such as
 *   `Resource::arn:aws:s3:::bucket/*` for AwsSolutions-IAM5); each one is acknowledged separately
 */
export function acknowledge(resource: IConstruct, name: AcknowledgmentName, appliesTo: string[] = []): void {
  const cfn = CfnResource.isCfnResource(resource) ? resource : resource.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn)) {
    throw new Error(`acknowledge(${name}): '${resource.node.path}' is not a CloudFormation resource; acknowledgments are per resource`);
  }
  const entry: { readonly findings: readonly string[]; readonly reason: string } = ACKNOWLEDGMENTS[name];
  for (const id of entry.findings) {
    if (appliesTo.length === 0) {
      Validations.of(cfn).acknowledge({ id, reason: entry.reason });
    } else {
      for (const detail of appliesTo) Validations.of(cfn).acknowledge({ id: `${id}[${detail}]`, reason: entry.reason });
    }
  }
}

/**
 * Acknowledges AwsSolutions-IAM5 for wildcard resources granted to a policy, with a registered reason,
 * when the resource ARNs may be references to another stack (for example a feature group's offline-store
 * prefix granted to a platform team's policy).
 *
 * cdk-nag names a wildcard resource by its flattened value, and a cross-stack reference flattens
 * differently before CDK resolves the app's references (the producer's `<Logical.Arn>`: cdk-nag's
 * `validateScope` on a fresh app) and after (the `Fn::ImportValue` export name: the rule-pack plugins of
 * `cdk synth`). Both forms are acknowledged: the first now, the second when the app is synthesized
 * (a construct validation runs after the references are resolved and before the validation plugins).
 * For ARNs of the policy's own stack both forms are the same.
 *
 * @param policy the policy holding the wildcards (an L2 whose default child is its CfnResource, or the CfnResource)
 * @param name the registry entry
 * @param resourceArns the wildcard resources, as given to the grant
 */
export function acknowledgeWildcardResources(policy: IConstruct, name: AcknowledgmentName, resourceArns: string[]): void {
  const details = () => resourceArns.map((arn) => nagResourceDetail(policy, arn));
  acknowledge(policy, name, details());
  policy.node.addValidation({
    validate: () => {
      acknowledge(policy, name, details());
      return [];
    },
  });
}
