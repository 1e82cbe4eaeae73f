/**
 * Amazon SageMaker Data Wrangler rules for running an exported flow as a processing job, one row each,
 * with the source it comes from.
 */

/**
 * The Data Wrangler processing container, by Region: `<account>.dkr.ecr.<region>.<suffix>/sagemaker-data-wrangler-container:<version>`.
 *
 * Source: SageMaker developer guide, "Docker Registry Paths and Example Code", each Region's page,
 * section "Data Wrangler (algorithm)" (`image_uris.retrieve(framework='data-wrangler',region=...)`),
 * and the SageMaker Python SDK's image table `image_uri_config/data-wrangler.json` (versions 1.x, 2.x
 * and 3.x share these registries; il-central-1 has 3.x only).
 */
export const DATA_WRANGLER_REPOSITORY = 'sagemaker-data-wrangler-container';

/** The registry account of the Data Wrangler container in each Region. */
export const DATA_WRANGLER_REGISTRIES: { readonly [region: string]: string } = {
  'af-south-1': '143210264188',
  'ap-east-1': '707077482487',
  'ap-northeast-1': '649008135260',
  'ap-northeast-2': '131546521161',
  'ap-northeast-3': '913387583493',
  'ap-south-1': '089933028263',
  'ap-southeast-1': '119527597002',
  'ap-southeast-2': '422173101802',
  'ca-central-1': '557239378090',
  'cn-north-1': '245909111842',
  'cn-northwest-1': '249157047649',
  'eu-central-1': '024640144536',
  'eu-north-1': '054986407534',
  'eu-south-1': '488287956546',
  'eu-west-1': '245179582081',
  'eu-west-2': '894491911112',
  'eu-west-3': '807237891255',
  'il-central-1': '406833011540',
  'me-south-1': '376037874950',
  'sa-east-1': '424196993095',
  'us-east-1': '663277389841',
  'us-east-2': '415577184552',
  'us-west-1': '926135532090',
  'us-west-2': '174368400705',
};

/** Container versions of the table above. */
export const DATA_WRANGLER_VERSIONS = ['1.x', '2.x', '3.x'];

/** Regions missing from a version's registries in the SDK table. */
export const DATA_WRANGLER_MISSING: { readonly [version: string]: string[] } = {
  '1.x': ['il-central-1'],
  '2.x': ['il-central-1'],
  '3.x': [],
};

/** The default container version: the newest in the table. */
export const DATA_WRANGLER_DEFAULT_VERSION = '3.x';

/**
 * The processing-job contract of an exported flow.
 *
 * Source: the Data Wrangler "Export to Amazon S3" / "Export to SageMaker Pipelines" notebook templates
 * the developer guide ("Export", "Export to a SageMaker AI pipeline") generates: the flow file is the
 * processing input named `flow` at `/opt/ml/processing/flow`; each Amazon S3 data source of the flow
 * is an input named after its dataset definition (`parameters.dataset_definition.name`) at
 * `/opt/ml/processing/<name>`, read from `s3ExecutionContext.s3Uri`; the output of the exported node
 * is named `<node_id>.<output name>` and is written from `/opt/ml/processing/output`; the container
 * takes `--output-config '{"<output name>": {"content_type": "CSV"|"PARQUET"}}'`. To Feature Store,
 * the output has `FeatureStoreOutput.FeatureGroupName` and `AppManaged: true` (the container writes
 * the records itself, so the job needs network access to the Feature Store runtime).
 */
export const DATA_WRANGLER_PROCESSING_DIR = '/opt/ml/processing';

/**
 * What makes a JSON document a Data Wrangler flow: `metadata` with `version` and `disable_limits`, and
 * `nodes`, each with `node_id`, `type` and an `operator` of the form `sagemaker.<name>_<version>`
 * (for example `sagemaker.s3_source_0.1`, `sagemaker.spark.infer_and_cast_type_0.1`).
 * Source: the `.flow` files Data Wrangler saves (developer guide, "Create and Use a Data Wrangler Flow").
 */
export const DATA_WRANGLER_OPERATOR = /^sagemaker\.[a-z0-9_.]+$/;

/** Data source types a flow may read in a processing job, and which this library runs. */
export const DATA_WRANGLER_SOURCE_TYPES = {
  /** Read from S3 as a processing input: supported. */
  supported: ['S3'],
  /**
   * Athena and Redshift sources become processing inputs with dataset definitions (Athena or Redshift
   * runs the query and unloads to S3) and Snowflake, Databricks and SaaS sources need credentials and
   * internet access; none of them is supported in the VPC-only platform.
   */
  unsupported: ['Athena', 'Redshift', 'Snowflake', 'Databricks'],
};

/**
 * Processing input and output names.
 * SageMaker API reference, ProcessingInput.InputName / ProcessingOutput.OutputName: "Type: String.
 * Length Constraints: Maximum length of 256."
 */
export const PROCESSING_CHANNEL_NAME_MAX = 256;
