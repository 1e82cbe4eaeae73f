import * as fs from 'fs';
import * as path from 'path';
import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import type { JobStepProps } from './job-resources';
import { ProcessingInput, ProcessingOutput, ProcessingStep } from './processing-step';
import { InterfaceEndpointService } from '../network/endpoint-service';
import {
  DATA_WRANGLER_DEFAULT_VERSION, DATA_WRANGLER_MISSING, DATA_WRANGLER_OPERATOR, DATA_WRANGLER_PROCESSING_DIR, DATA_WRANGLER_REGISTRIES,
  DATA_WRANGLER_REPOSITORY, DATA_WRANGLER_SOURCE_TYPES, DATA_WRANGLER_VERSIONS, PROCESSING_CHANNEL_NAME_MAX,
} from '../private/data-wrangler-rules';
import { PropsValidator } from '../private/validation';
import type { RenderContext } from './private/render';
import { PipelineValue } from './values';

/** The format Data Wrangler writes the prepared data in. */
export enum DataWranglerContentType {
  /** CSV with a header row. */
  CSV = 'CSV',
  /** Apache Parquet. */
  PARQUET = 'PARQUET',
}

/** An Amazon S3 data source of a Data Wrangler flow. */
export interface DataWranglerSource {
  /** The dataset name (`parameters.dataset_definition.name`): the processing input name. */
  readonly name: string;

  /** The S3 URI the flow was built on (`s3ExecutionContext.s3Uri`). */
  readonly s3Uri: string;

  /** The ID of the source node. */
  readonly nodeId: string;
}

/** Properties of a {@link DataWranglerFlow}. */
export interface DataWranglerFlowProps {
  /** The path of the `.flow` file exported from Data Wrangler. */
  readonly path: string;
}

/** The parsed content of a flow file. */
interface ParsedFlow {
  readonly version: number;
  readonly sources: DataWranglerSource[];
  readonly nodes: Array<{ id: string; type: string; operator: string; outputs: string[] }>;
  readonly terminalNodeIds: string[];
}

/**
 * An exported Amazon SageMaker Data Wrangler flow (`.flow` file), checked at synth and shipped as a CDK
 * file asset, for {@link DataWranglerStep}.
 *
 * A flow is JSON with `metadata` (`version`, `disable_limits`) and `nodes` (each with `node_id`,
 * `type` and an `operator` such as `sagemaker.spark.infer_and_cast_type_0.1`); anything else is a
 * synth error. Only Amazon S3 data sources run in the VPC-only platform: flows that read from Athena,
 * Redshift, Snowflake or Databricks are refused.
 *
 * The asset goes to the CDK bootstrap bucket of the account and Region (like the pipeline definition
 * asset), and the step reads it from there as its `flow` input.
 *
 * @example
 * const flow = new DataWranglerFlow(this, 'PrepareFlow', { path: path.join(__dirname, 'employee-retention.flow') });
 */
export class DataWranglerFlow extends Construct {
  /** The file asset. */
  public readonly asset: s3assets.Asset;

  /** The S3 location of the flow file, as a pipeline value the pipeline grants the step role read access to. */
  public readonly s3Uri: PipelineValue;

  /** The flow's Amazon S3 data sources. */
  public readonly sources: DataWranglerSource[];

  /** The IDs of the flow's nodes, in file order. */
  public readonly nodeIds: string[];

  /** The IDs of the nodes no other node reads from (excluding analyses): candidates for export. */
  public readonly terminalNodeIds: string[];

  /** The flow format version (`metadata.version`). */
  public readonly formatVersion: number;

  private readonly parsed: ParsedFlow;

  constructor(scope: Construct, id: string, props: DataWranglerFlowProps) {
    super(scope, id);
    const v = new PropsValidator('DataWranglerFlow', this.node.path);
    let text = '';
    if (!fs.existsSync(props.path) || !fs.statSync(props.path).isFile()) {
      v.error(`path must be a .flow file, got '${props.path}', which does not exist or is not a file`);
    } else {
      text = fs.readFileSync(props.path, 'utf-8');
    }
    v.throwIfInvalid();
    this.parsed = parseFlow(text, path.basename(props.path), v);
    v.throwIfInvalid();

    this.asset = new s3assets.Asset(this, 'Asset', { path: props.path });
    this.s3Uri = PipelineValue.fromS3Location(this.asset.bucket, this.asset.s3ObjectKey);
    this.sources = this.parsed.sources;
    this.nodeIds = this.parsed.nodes.map((n) => n.id);
    this.terminalNodeIds = this.parsed.terminalNodeIds;
    this.formatVersion = this.parsed.version;
  }

  /** The output names of a node, or undefined when the flow has no such node. @internal */
  public _outputsOf(nodeId: string): string[] | undefined {
    return this.parsed.nodes.find((n) => n.id === nodeId)?.outputs;
  }

  /** The type of a node. @internal */
  public _typeOf(nodeId: string): string | undefined {
    return this.parsed.nodes.find((n) => n.id === nodeId)?.type;
  }
}

/**
 * Where a {@link DataWranglerStep} writes the prepared data.
 */
export class DataWranglerOutput {
  /**
   * Amazon S3: the container writes the exported node's data to `/opt/ml/processing/output`, uploaded
   * to `destination` at the end of the job and encrypted with the job's output key.
   *
   * @param destination the S3 URI (`PipelineValue.fromS3Location` lets the pipeline grant the step role write access)
   * @param contentType CSV or Parquet
   */
  public static toS3(destination: PipelineValue, contentType: DataWranglerContentType = DataWranglerContentType.CSV): DataWranglerOutput {
    return new DataWranglerOutput(destination, undefined, contentType);
  }

  /**
   * A Feature Store feature group: the container ingests the records itself (`FeatureStoreOutput`,
   * `AppManaged`), so the job runs without network isolation and reaches the Feature Store runtime
   * through its VPC endpoint, which the pipeline declares. Grant the step role `PutRecord` on the group
   * (for example `featureGroup.grantWriteRecords(role)`, which also covers the online store's key).
   *
   * @param featureGroup the feature group (a `FeatureGroup`'s L1, `group.node.defaultChild`, or any reference)
   */
  public static toFeatureGroup(featureGroup: sagemaker.IFeatureGroupRef): DataWranglerOutput {
    return new DataWranglerOutput(undefined, featureGroup, DataWranglerContentType.CSV);
  }

  private constructor(
    /** The S3 destination, for S3 output. */
    public readonly destination: PipelineValue | undefined,
    /** The feature group, for Feature Store output. */
    public readonly featureGroup: sagemaker.IFeatureGroupRef | undefined,
    /** The content type of S3 output. */
    public readonly contentType: DataWranglerContentType,
  ) {}
}

/** Properties of a {@link DataWranglerStep}. */
export interface DataWranglerStepProps extends JobStepProps {
  /** The flow to run. */
  readonly flow: DataWranglerFlow;

  /** Where the prepared data goes. */
  readonly output: DataWranglerOutput;

  /**
   * The ID of the node whose data is exported.
   *
   * @default - the flow's only terminal node (an error when it has several)
   */
  readonly outputNodeId?: string;

  /**
   * The output of the node to export.
   *
   * @default 'default'
   */
  readonly outputName?: string;

  /**
   * The S3 location of each data source, by dataset name, instead of the URI the flow was built on (for
   * example a pipeline parameter, or `PipelineValue.fromS3Location` so that the pipeline grants the
   * step role read access).
   *
   * @default - the URIs in the flow; grant the step role read access to them yourself
   */
  readonly sources?: { [datasetName: string]: PipelineValue };

  /**
   * The Data Wrangler container version (`1.x`, `2.x` or `3.x`).
   *
   * @default '3.x'
   */
  readonly containerVersion?: string;

  /**
   * The container image, instead of the Region's Data Wrangler container.
   *
   * @default - the Data Wrangler container of the stack's Region
   */
  readonly image?: PipelineValue;
}

/**
 * A pipeline step that runs an exported Data Wrangler flow as a processing job on the Data Wrangler
 * container, with the pipeline's secure defaults: in the pipeline's subnets and security groups, with
 * inter-container traffic encryption, the volume and output KMS keys and (for S3 output) network
 * isolation. The flow file and each S3 data source are inputs, as the Data Wrangler export notebooks
 * define them; the prepared data goes to S3 or into a Feature Store feature group.
 *
 * @example
 * const prepare = new DataWranglerStep('PrepareTrainingData', {
 *   flow,
 *   role: jobRole,
 *   instanceType: PipelineValue.fromString('ml.m5.4xlarge'),
 *   output: DataWranglerOutput.toS3(PipelineValue.fromS3Location(data, 'prepared/')),
 *   sources: { 'employees.csv': PipelineValue.fromS3Location(data, 'raw/employees.csv') },
 * });
 * prepare.outputUri(prepare.exportedOutputName);
 */
export class DataWranglerStep extends ProcessingStep {
  /** The processing output name of the exported node (`<node_id>.<output name>`). */
  public readonly exportedOutputName: string;

  /** The feature group name, with Feature Store output. */
  public readonly featureGroupName?: string;

  constructor(name: string, props: DataWranglerStepProps) {
    const resolved = resolveDataWranglerProps(name, props);
    super(name, resolved.processing);
    this.exportedOutputName = resolved.outputName;
    this.featureGroupName = props.output.featureGroup?.featureGroupRef.featureGroupName;
  }

  /** The S3 URI of the prepared data (S3 output only). */
  public get preparedDataUri(): PipelineValue {
    if (this.featureGroupName !== undefined) {
      throw new Error(`DataWranglerStep '${this.name}' writes into the feature group ${this.featureGroupName}, not to S3: it has no preparedDataUri`);
    }
    return this.outputUri(this.exportedOutputName);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const args = super._renderArguments(ctx);
    if (this.featureGroupName === undefined) return args;
    // Feature Store output (CreateProcessingJob ProcessingOutput.FeatureStoreOutput, "only supported when
    // AppManaged is specified"): the container ingests the records through the Feature Store runtime
    const outputKey = this.props.outputKey ?? ctx.defaults.outputKey;
    args.ProcessingOutputConfig = {
      Outputs: [{ OutputName: this.exportedOutputName, AppManaged: true, FeatureStoreOutput: { FeatureGroupName: this.featureGroupName } }],
      ...(outputKey ? { KmsKeyId: outputKey.keyArn } : {}),
    };
    ctx.requirements.endpoints.add(InterfaceEndpointService.SAGEMAKER_FEATURESTORE_RUNTIME);
    ctx.requirements.endpoints.add(InterfaceEndpointService.SAGEMAKER_API);
    return args;
  }
}

/** The processing-step props of a Data Wrangler step, checked. */
function resolveDataWranglerProps(name: string, props: DataWranglerStepProps): { processing: any; outputName: string } {
  const v = new PropsValidator('DataWranglerStep', name);
  const flow = props.flow;
  const featureStore = props.output.featureGroup !== undefined;

  let nodeId = props.outputNodeId;
  if (nodeId === undefined) {
    if (flow.terminalNodeIds.length === 1) {
      nodeId = flow.terminalNodeIds[0];
    } else {
      v.error(`outputNodeId is required: the flow ${flow.node.path} has ${flow.terminalNodeIds.length} terminal nodes `
        + `(${flow.terminalNodeIds.join(', ') || 'none'}); give the ID of the node to export`);
    }
  } else if (flow._outputsOf(nodeId) === undefined) {
    v.error(`outputNodeId must be a node of the flow ${flow.node.path}, got '${nodeId}' (nodes: ${flow.nodeIds.join(', ')})`);
  } else if (flow._typeOf(nodeId) === 'VISUALIZATION') {
    v.error(`outputNodeId must be a data node, got '${nodeId}', an analysis (VISUALIZATION) node`);
  }
  const output = props.outputName ?? 'default';
  if (nodeId !== undefined && flow._outputsOf(nodeId) !== undefined && !flow._outputsOf(nodeId)!.includes(output)) {
    v.error(`outputName must be an output of node '${nodeId}', got '${output}' (outputs: ${flow._outputsOf(nodeId)!.join(', ') || 'none'})`);
  }
  const outputName = `${nodeId ?? 'unknown'}.${output}`;
  if (outputName.length > PROCESSING_CHANNEL_NAME_MAX) {
    v.error(`the output name '${outputName}' must be at most ${PROCESSING_CHANNEL_NAME_MAX} characters, got ${outputName.length}`);
  }

  const known = flow.sources.map((s) => s.name);
  for (const dataset of Object.keys(props.sources ?? {})) {
    if (!known.includes(dataset)) v.error(`sources names a dataset the flow does not read: '${dataset}' (datasets: ${known.join(', ')})`);
  }
  if (featureStore && props.networkIsolation === true) {
    v.error('networkIsolation must not be true with DataWranglerOutput.toFeatureGroup: the container writes the records to '
      + 'the Feature Store runtime itself, which network isolation blocks');
  }

  const version = props.containerVersion ?? DATA_WRANGLER_DEFAULT_VERSION;
  v.oneOf('containerVersion', version, DATA_WRANGLER_VERSIONS);
  const image = props.image ?? imageOf(flow, version, v);
  const argument = `--output-config '${JSON.stringify({ [outputName]: { content_type: props.output.contentType } })}'`;
  v.throwIfInvalid();

  const inputs: ProcessingInput[] = [
    { inputName: 'flow', source: flow.s3Uri, destination: `${DATA_WRANGLER_PROCESSING_DIR}/flow` },
    ...flow.sources.map((s) => ({
      inputName: s.name,
      source: props.sources?.[s.name] ?? PipelineValue.fromString(s.s3Uri),
      destination: `${DATA_WRANGLER_PROCESSING_DIR}/${s.name}`,
    })),
  ];
  const outputs: ProcessingOutput[] = featureStore ? [] : [{
    outputName,
    source: `${DATA_WRANGLER_PROCESSING_DIR}/output`,
    destination: props.output.destination!,
  }];
  const { flow: _flow, output: _output, outputNodeId: _node, outputName: _name, sources: _sources, containerVersion: _version, ...job } = props;
  return {
    outputName,
    processing: {
      ...job,
      image,
      inputs,
      outputs,
      containerArguments: [PipelineValue.fromString(argument)],
      // the container calls the Feature Store runtime for Feature Store output
      networkIsolation: featureStore ? false : props.networkIsolation,
    },
  };
}

/** The Data Wrangler container of the flow's Region (a mapping when the Region is known only at deploy time). */
function imageOf(flow: DataWranglerFlow, version: string, v: PropsValidator): PipelineValue {
  const stack = Stack.of(flow);
  const region = stack.region;
  if (Token.isUnresolved(region)) {
    const id = 'DataWranglerRegistries';
    const mapping = (stack.node.tryFindChild(id) as CfnMapping | undefined) ?? new CfnMapping(stack, id, {
      mapping: Object.fromEntries(Object.entries(DATA_WRANGLER_REGISTRIES).map(([r, account]) => [r, { account }])),
    });
    return PipelineValue.fromString(`${mapping.findInMap(Aws.REGION, 'account')}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}/${DATA_WRANGLER_REPOSITORY}:${version}`);
  }
  const account = DATA_WRANGLER_REGISTRIES[region];
  if (!account) {
    v.error(`the Data Wrangler container is not published in ${region} (SageMaker developer guide, Docker Registry Paths); `
      + `Regions: ${Object.keys(DATA_WRANGLER_REGISTRIES).join(', ')}. Give image to use another one`);
    return PipelineValue.fromString('');
  }
  if ((DATA_WRANGLER_MISSING[version] ?? []).includes(region)) {
    v.error(`containerVersion ${version} of the Data Wrangler container is not published in ${region}; use ${DATA_WRANGLER_DEFAULT_VERSION}`);
  }
  const suffix = RegionInfo.get(region).domainSuffix ?? 'amazonaws.com';
  return PipelineValue.fromString(`${account}.dkr.ecr.${region}.${suffix}/${DATA_WRANGLER_REPOSITORY}:${version}`);
}

/** Checks that `text` is a Data Wrangler flow and reads what the step needs, reporting every problem. */
function parseFlow(text: string, file: string, v: PropsValidator): ParsedFlow {
  const empty: ParsedFlow = { version: 0, sources: [], nodes: [], terminalNodeIds: [] };
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (e) {
    v.error(`${file} is not a Data Wrangler flow: it is not JSON (${(e as Error).message})`);
    return empty;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    v.error(`${file} is not a Data Wrangler flow: expected a JSON object with metadata and nodes`);
    return empty;
  }
  const meta = json.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    v.error(`${file} is not a Data Wrangler flow: it has no metadata object (with version and disable_limits)`);
  } else {
    if (typeof meta.version !== 'number') v.error(`${file} is not a Data Wrangler flow: metadata.version must be a number, got ${JSON.stringify(meta.version)}`);
    if (typeof meta.disable_limits !== 'boolean') {
      v.error(`${file} is not a Data Wrangler flow: metadata.disable_limits must be true or false, got ${JSON.stringify(meta.disable_limits)}`);
    }
  }
  if (!Array.isArray(json.nodes) || json.nodes.length === 0) {
    v.error(`${file} is not a Data Wrangler flow: nodes must be a non-empty list`);
    return empty;
  }

  const nodes: ParsedFlow['nodes'] = [];
  const sources: DataWranglerSource[] = [];
  const ids = new Set<string>();
  const referenced = new Set<string>();
  json.nodes.forEach((node: any, i: number) => {
    const where = `nodes[${i}]`;
    if (node === null || typeof node !== 'object') {
      v.error(`${file}: ${where} must be an object`);
      return;
    }
    const id = node.node_id;
    if (typeof id !== 'string' || id.length === 0) {
      v.error(`${file}: ${where} has no node_id`);
      return;
    }
    if (ids.has(id)) v.error(`${file}: node_id '${id}' is used twice`);
    ids.add(id);
    if (typeof node.type !== 'string') v.error(`${file}: node '${id}' has no type`);
    if (typeof node.operator !== 'string' || !DATA_WRANGLER_OPERATOR.test(node.operator)) {
      v.error(`${file}: node '${id}' must have a Data Wrangler operator (sagemaker.<name>_<version>, for example `
        + `sagemaker.spark.infer_and_cast_type_0.1), got ${JSON.stringify(node.operator)}`);
    }
    for (const input of Array.isArray(node.inputs) ? node.inputs : []) {
      if (input && typeof input.node_id === 'string') referenced.add(input.node_id);
    }
    const outputs = (Array.isArray(node.outputs) ? node.outputs : []).map((o: any) => o?.name).filter((n: unknown) => typeof n === 'string');
    nodes.push({ id, type: String(node.type), operator: String(node.operator), outputs });

    const definition = node.parameters?.dataset_definition;
    if (node.type === 'SOURCE' || definition !== undefined) {
      const sourceType = definition?.datasetSourceType;
      if (DATA_WRANGLER_SOURCE_TYPES.unsupported.includes(sourceType)) {
        v.error(`${file}: source node '${id}' reads from ${sourceType}; only Amazon S3 sources run in the VPC-only platform `
          + '(export the data to S3, or use a flow that reads it from S3)');
      } else if (!DATA_WRANGLER_SOURCE_TYPES.supported.includes(sourceType)) {
        v.error(`${file}: source node '${id}' has an unknown dataset_definition.datasetSourceType ${JSON.stringify(sourceType)}`);
      } else {
        const name = definition.name;
        const uri = definition.s3ExecutionContext?.s3Uri;
        if (typeof name !== 'string' || name.length === 0 || name.length > PROCESSING_CHANNEL_NAME_MAX || name === 'flow') {
          v.error(`${file}: source node '${id}' needs a dataset_definition.name of 1-${PROCESSING_CHANNEL_NAME_MAX} characters other than 'flow', got ${JSON.stringify(name)}`);
        } else if (typeof uri !== 'string' || !/^s3:\/\/[^/]+/.test(uri)) {
          v.error(`${file}: source node '${id}' needs an s3ExecutionContext.s3Uri (s3://...), got ${JSON.stringify(uri)}`);
        } else if (sources.some((s) => s.name === name)) {
          v.error(`${file}: two source nodes use the dataset name '${name}', which names their processing inputs`);
        } else {
          sources.push({ name, s3Uri: uri, nodeId: id });
        }
      }
    }
  });
  for (const ref of referenced) {
    if (!ids.has(ref)) v.error(`${file}: a node reads from node '${ref}', which the flow does not have`);
  }
  if (sources.length === 0 && !v.hasErrors) v.error(`${file}: the flow has no data source node`);
  const terminalNodeIds = nodes.filter((n) => !referenced.has(n.id) && n.type !== 'VISUALIZATION' && n.type !== 'DESTINATION').map((n) => n.id);
  return { version: typeof meta?.version === 'number' ? meta.version : 0, sources, nodes, terminalNodeIds };
}
