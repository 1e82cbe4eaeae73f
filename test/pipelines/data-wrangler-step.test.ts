import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import {
  DataWranglerContentType, DataWranglerFlow, DataWranglerOutput, DataWranglerStep, InterfaceEndpointService, PipelineValue, SecureBucket,
} from '../../src';
import { compliantTemplate, testApp, testStack } from '../harness';
import { fixturesOf, pipelineOf } from './fixtures';
import { amendedSchema, definitionOf, FakeNetwork, validateDefinition } from './util';

const SOURCE = '3b9f7c1e-5a2d-4c8b-9e10-6f2a1d4b7c01';
const CAST = '8d4e2a6b-1f3c-4b7d-a9e2-0c5f6b8d1e02';
const DROP = 'c2a7e9f1-6b4d-4e3a-8f15-7d9b0a2c4e03';
const IMAGE_US_EAST_1 = '663277389841.dkr.ecr.us-east-1.amazonaws.com/sagemaker-data-wrangler-container:3.x';

/** A small flow as Data Wrangler saves it: an S3 source, a type cast and a dropped column. */
function flowJson(): any {
  const transform = (id: string, from: string, operator: string, parameters: any) => ({
    node_id: id, type: 'TRANSFORM', operator, parameters, inputs: [{ name: 'df', node_id: from, output_name: 'default' }], outputs: [{ name: 'default' }],
  });
  return {
    metadata: { version: 1, disable_limits: false },
    nodes: [
      {
        node_id: SOURCE,
        type: 'SOURCE',
        operator: 'sagemaker.s3_source_0.1',
        parameters: {
          dataset_definition: {
            datasetSourceType: 'S3',
            name: 'employees.csv',
            s3ExecutionContext: { s3Uri: 's3://employee-retention-raw-data/raw/employees.csv', s3ContentType: 'csv', s3HasHeader: true },
          },
        },
        inputs: [],
        outputs: [{ name: 'default' }],
      },
      transform(CAST, SOURCE, 'sagemaker.spark.infer_and_cast_type_0.1', {}),
      transform(DROP, CAST, 'sagemaker.spark.manage_columns_0.1', { operator: 'Drop column', drop_column_parameters: { column_to_drop: ['EmployeeID'] } }),
    ],
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-flows-'));
let files = 0;
/** Writes a flow file (an object as JSON, or text as it is) and returns its path. */
function flowFile(content: unknown): string {
  const file = path.join(dir, `flow-${++files}.flow`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/**
 * The extended schema, amended (as util.ts does) and further for one gap: Feature Store output. The
 * service takes ProcessingOutput.FeatureStoreOutput { FeatureGroupName } with AppManaged (SageMaker API
 * reference, ProcessingOutput: "FeatureStoreOutput: Configuration for processing job outputs in Amazon
 * SageMaker Feature Store. This processing output type is only supported when AppManaged is specified";
 * "AppManaged: When True, output operations such as data upload are managed natively by the processing
 * job application"), which the published schema's ProcessingArgs does not list.
 */
function validateWithFeatureStoreOutput(definition: unknown): void {
  const schema = amendedSchema();
  const output = schema.definitions.ProcessingArgs.properties.ProcessingOutputConfig.properties.Outputs.items;
  output.properties.AppManaged = { $ref: '#/definitions/BooleanArgumentValue' };
  output.properties.FeatureStoreOutput = {
    type: 'object',
    properties: { FeatureGroupName: { $ref: '#/definitions/StringArgumentValue' } },
    required: ['FeatureGroupName'],
    additionalProperties: false,
  };
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  if (!validate(definition)) throw new Error(JSON.stringify(validate.errors, undefined, 1).slice(0, 3000));
}

describe('DataWranglerStep', () => {
  describe('writing to S3, with secure defaults', () => {
    // GIVEN a flow and a platform bucket
    const stack = testStack();
    const f = fixturesOf(stack);
    const data = new SecureBucket(stack, 'Data', { encryptionKey: f.key });
    const flow = new DataWranglerFlow(stack, 'Flow', { path: flowFile(flowJson()) });
    // WHEN the flow runs as a step that writes Parquet to S3, with its source read from the platform bucket
    const step = new DataWranglerStep('PrepareTrainingData', {
      flow,
      role: f.jobRole,
      instanceType: PipelineValue.fromString('ml.m5.4xlarge'),
      output: DataWranglerOutput.toS3(PipelineValue.fromS3Location(data, 'prepared/'), DataWranglerContentType.PARQUET),
      sources: { 'employees.csv': PipelineValue.fromS3Location(data, 'raw/employees.csv') },
    });
    pipelineOf(stack, [step]);
    const template = compliantTemplate(stack);
    const def = definitionOf(stack, template);
    const args = def.Steps[0].Arguments;

    test('passes every rule pack, and the definition validates against the extended schema', () => {
      expect(() => validateDefinition(def)).not.toThrow();
      expect(def.Steps[0]).toMatchObject({ Name: 'PrepareTrainingData', Type: 'Processing' });
    });

    test('runs on the Data Wrangler container of the Region', () => {
      expect(args.AppSpecification.ImageUri).toBe(IMAGE_US_EAST_1);
    });

    test('reads the flow file and each data source as the export notebooks do', () => {
      expect(args.ProcessingInputs).toEqual([
        {
          InputName: 'flow',
          S3Input: expect.objectContaining({ S3Uri: expect.stringMatching(/^s3:\/\/.+\/[0-9a-f]{64}\.flow$/), LocalPath: '/opt/ml/processing/flow', S3DataType: 'S3Prefix', S3InputMode: 'File' }),
        },
        {
          InputName: 'employees.csv',
          S3Input: expect.objectContaining({ S3Uri: 's3://<Data666C94C7>/raw/employees.csv', LocalPath: '/opt/ml/processing/employees.csv' }),
        },
      ]);
    });

    test('exports the terminal node to S3 with the content type as the container expects it', () => {
      expect(step.exportedOutputName).toBe(`${DROP}.default`);
      expect(args.ProcessingOutputConfig.Outputs).toEqual([{
        OutputName: `${DROP}.default`,
        S3Output: { S3Uri: 's3://<Data666C94C7>/prepared/', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' },
      }]);
      expect(args.AppSpecification.ContainerArguments).toEqual([`--output-config '{"${DROP}.default":{"content_type":"PARQUET"}}'`]);
      expect(step.preparedDataUri.describe()).toMatch(/ProcessingOutputConfig.Outputs\['.*\.default'\].S3Output.S3Uri/);
    });

    test('runs in the VPC with network isolation, inter-container encryption and the KMS keys', () => {
      expect(args.NetworkConfig).toEqual({
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        VpcConfig: { SecurityGroupIds: ['sg-0123456789abcdef0'], Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
      });
      expect(args.ProcessingResources.ClusterConfig.VolumeKmsKeyId).toMatch(/^arn:aws:kms:/);
      expect(args.ProcessingOutputConfig.KmsKeyId).toMatch(/^arn:aws:kms:/);
    });

    test('ships the flow as a file asset', () => {
      expect(flow.asset.assetPath).toBeDefined();
      expect(flow.sources).toEqual([{ name: 'employees.csv', s3Uri: 's3://employee-retention-raw-data/raw/employees.csv', nodeId: SOURCE }]);
      expect(flow.terminalNodeIds).toEqual([DROP]);
      expect(flow.formatVersion).toBe(1);
    });
  });

  describe('writing into a feature group', () => {
    // GIVEN a feature group and a pipeline in the platform network
    const stack = testStack();
    const f = fixturesOf(stack);
    const network = new FakeNetwork(stack, 'Network');
    const group = sagemaker.CfnFeatureGroup.fromFeatureGroupName(stack, 'Features', 'employee-features');
    const flow = new DataWranglerFlow(stack, 'Flow', { path: flowFile(flowJson()) });
    // WHEN the step exports a chosen node into the group
    const step = new DataWranglerStep('IngestFeatures', {
      flow,
      role: f.jobRole,
      instanceType: PipelineValue.fromString('ml.m5.4xlarge'),
      output: DataWranglerOutput.toFeatureGroup(group),
      outputNodeId: CAST,
    });
    pipelineOf(stack, [step], [], { network, subnets: undefined, securityGroups: undefined });
    const def = definitionOf(stack, compliantTemplate(stack));
    const args = def.Steps[0].Arguments;

    test('writes through FeatureStoreOutput with AppManaged, encrypted with the output key', () => {
      expect(() => validateWithFeatureStoreOutput(def)).not.toThrow();
      expect(args.ProcessingOutputConfig).toEqual({
        Outputs: [{ OutputName: `${CAST}.default`, AppManaged: true, FeatureStoreOutput: { FeatureGroupName: 'employee-features' } }],
        KmsKeyId: expect.stringMatching(/^arn:aws:kms:/),
      });
      expect(step.featureGroupName).toBe('employee-features');
      expect(() => step.preparedDataUri).toThrow(/writes into the feature group employee-features, not to S3/);
    });

    test('runs without network isolation, since the container calls the Feature Store runtime', () => {
      expect(args.NetworkConfig.EnableNetworkIsolation).toBe(false);
      expect(args.NetworkConfig.EnableInterContainerTrafficEncryption).toBe(true);
    });

    test('declares the Feature Store runtime and SageMaker API endpoints on the network', () => {
      expect(network.endpoints).toEqual(expect.arrayContaining([
        InterfaceEndpointService.SAGEMAKER_FEATURESTORE_RUNTIME,
        InterfaceEndpointService.SAGEMAKER_API,
      ]));
    });
  });

  test('in a stack without a Region, the image comes from a Region mapping', () => {
    const app = testApp();
    const stack = new Stack(app, 'Agnostic');
    const f = fixturesOf(stack);
    const flow = new DataWranglerFlow(stack, 'Flow', { path: flowFile(flowJson()) });
    const step = new DataWranglerStep('Prepare', {
      flow,
      role: f.jobRole,
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      output: DataWranglerOutput.toS3(PipelineValue.fromString('s3://ml-data/prepared/')),
      containerVersion: '2.x',
    });
    pipelineOf(stack, [step]);
    const template = app.synth().getStackByName('Agnostic').template;
    expect(template.Mappings.DataWranglerRegistries['eu-west-1']).toEqual({ account: '245179582081' });
    expect(JSON.stringify(template)).toContain('Fn::FindInMap');
    expect(JSON.stringify(template)).toContain('sagemaker-data-wrangler-container:2.x');
  });

  test('the image can be given, for example a copy in a private registry', () => {
    const stack = testStack();
    const f = fixturesOf(stack);
    const step = new DataWranglerStep('Prepare', {
      flow: new DataWranglerFlow(stack, 'Flow', { path: flowFile(flowJson()) }),
      role: f.jobRole,
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      output: DataWranglerOutput.toS3(PipelineValue.fromString('s3://ml-data/prepared/')),
      image: PipelineValue.fromString('123456789012.dkr.ecr.us-east-1.amazonaws.com/data-wrangler:3.x'),
    });
    pipelineOf(stack, [step]);
    const def = definitionOf(stack, compliantTemplate(stack));
    expect(def.Steps[0].Arguments.AppSpecification.ImageUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/data-wrangler:3.x');
  });

  describe('bad input', () => {
    const stack = testStack(new App(), 'BadInput');
    const f = fixturesOf(stack);
    const step = (flow: DataWranglerFlow, extra: any = {}) => new DataWranglerStep('Prepare', {
      flow,
      role: f.jobRole,
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      output: DataWranglerOutput.toS3(PipelineValue.fromString('s3://ml-data/prepared/')),
      ...extra,
    });
    let n = 0;
    const flowOf = (content: unknown) => new DataWranglerFlow(stack, `Flow${++n}`, { path: flowFile(content) });

    test('a file that is not JSON', () => {
      expect(() => flowOf('not json {')).toThrow(/is not a Data Wrangler flow: it is not JSON/);
    });

    test('JSON that is not a flow, with every problem listed', () => {
      expect(() => flowOf({ metadata: { version: '1' }, nodes: [] })).toThrow(
        /metadata.version must be a number, got "1"[\s\S]*metadata.disable_limits must be true or false[\s\S]*nodes must be a non-empty list/);
      expect(() => flowOf({ cells: [], nbformat: 4 })).toThrow(/has no metadata object[\s\S]*nodes must be a non-empty list/);
      expect(() => flowOf([1, 2])).toThrow(/expected a JSON object with metadata and nodes/);
    });

    test('nodes without Data Wrangler operators, IDs or existing inputs', () => {
      const bad = flowJson();
      bad.nodes[1].operator = 'pandas.dropna';
      bad.nodes[2].inputs[0].node_id = 'missing-node';
      bad.nodes.push({ type: 'TRANSFORM', operator: 'sagemaker.spark.x_0.1' });
      expect(() => flowOf(bad)).toThrow(new RegExp(`node '${CAST}' must have a Data Wrangler operator[\\s\\S]*nodes\\[3\\] has no node_id[\\s\\S]*`
        + 'reads from node \'missing-node\', which the flow does not have'));
    });

    test('sources other than Amazon S3', () => {
      const athena = flowJson();
      athena.nodes[0].parameters.dataset_definition = { datasetSourceType: 'Athena', name: 'employees', catalogName: 'AwsDataCatalog', queryString: 'select 1' };
      expect(() => flowOf(athena)).toThrow(/reads from Athena; only Amazon S3 sources run in the VPC-only platform/);
      const noUri = flowJson();
      delete noUri.nodes[0].parameters.dataset_definition.s3ExecutionContext;
      expect(() => flowOf(noUri)).toThrow(/needs an s3ExecutionContext.s3Uri/);
    });

    test('a path that is not a file', () => {
      expect(() => new DataWranglerFlow(stack, 'Missing', { path: path.join(dir, 'nope.flow') })).toThrow(/path must be a .flow file, got '.*nope.flow'/);
    });

    test('several terminal nodes need outputNodeId; unknown nodes, outputs and datasets are named', () => {
      const branched = flowJson();
      branched.nodes.push({ ...branched.nodes[2], node_id: 'second-branch' });
      expect(() => step(flowOf(branched))).toThrow(/outputNodeId is required: the flow .* has 2 terminal nodes/);
      const flow = flowOf(flowJson());
      expect(() => step(flow, { outputNodeId: 'nope', sources: { 'other.csv': PipelineValue.fromString('s3://x/y') } })).toThrow(
        /outputNodeId must be a node of the flow .*, got 'nope'[\s\S]*sources names a dataset the flow does not read: 'other.csv'/);
      expect(() => step(flow, { outputName: 'train' })).toThrow(/outputName must be an output of node '.*', got 'train' \(outputs: default\)/);
    });

    test('network isolation cannot be forced on Feature Store output; unknown container versions', () => {
      const group = sagemaker.CfnFeatureGroup.fromFeatureGroupName(stack, 'Group', 'g');
      expect(() => step(flowOf(flowJson()), { output: DataWranglerOutput.toFeatureGroup(group), networkIsolation: true, containerVersion: '4.x' })).toThrow(
        /networkIsolation must not be true with DataWranglerOutput.toFeatureGroup[\s\S]*containerVersion must be one of 1.x, 2.x, 3.x, got '4.x'/);
    });

    test('a Region without the container', () => {
      const other = new Stack(new App(), 'Zurich', { env: { account: '123456789012', region: 'eu-central-2' } });
      const flow = new DataWranglerFlow(other, 'Flow', { path: flowFile(flowJson()) });
      expect(() => new DataWranglerStep('Prepare', {
        flow,
        role: fixturesOf(other).jobRole,
        instanceType: PipelineValue.fromString('ml.m5.xlarge'),
        output: DataWranglerOutput.toS3(PipelineValue.fromString('s3://ml-data/prepared/')),
      })).toThrow(/the Data Wrangler container is not published in eu-central-2/);
      const telAviv = new Stack(new App(), 'TelAviv', { env: { account: '123456789012', region: 'il-central-1' } });
      expect(() => new DataWranglerStep('Prepare', {
        flow: new DataWranglerFlow(telAviv, 'Flow', { path: flowFile(flowJson()) }),
        role: fixturesOf(telAviv).jobRole,
        instanceType: PipelineValue.fromString('ml.m5.xlarge'),
        containerVersion: '1.x',
        output: DataWranglerOutput.toS3(PipelineValue.fromString('s3://ml-data/prepared/')),
      })).toThrow(/containerVersion 1.x of the Data Wrangler container is not published in il-central-1/);
    });
  });
});
