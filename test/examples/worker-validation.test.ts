import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, CloudFormationValidatePlugin, IPolicyValidationContext, Stack, Validations } from 'aws-cdk-lib';
import { WorkerCloudFormationValidatePlugin } from '../../examples/worker-validation';

const ENV = { account: '123456789012', region: 'us-east-1' };
const FLAGS = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** Blocks this thread for `ms` (the worker runs meanwhile). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits until `done()` holds, for at most `ms`. */
function eventually(done: () => boolean, ms = 10_000): boolean {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) sleep(50);
  return done();
}

describe('WorkerCloudFormationValidatePlugin', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-validation-'));
  const hints = path.join(dir, 'cache', 'resource-types.json');
  // one worker (and engine) for the tests that can share it; aws-cdk-lib's own plugin as the reference
  const plugin = new WorkerCloudFormationValidatePlugin({ resourceTypesFile: hints });
  const reference = new CloudFormationValidatePlugin();

  const started: WorkerCloudFormationValidatePlugin[] = [plugin];
  /** A plugin of a test's own, closed after the tests. */
  function own(options: ConstructorParameters<typeof WorkerCloudFormationValidatePlugin>[0]): WorkerCloudFormationValidatePlugin {
    const p = new WorkerCloudFormationValidatePlugin(options);
    started.push(p);
    return p;
  }

  afterAll(async () => {
    await Promise.all(started.map((p) => p.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function template(name: string, resources: Record<string, unknown>): string {
    const file = path.join(dir, `${name}.template.json`);
    fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
    return file;
  }

  function contextFor(...files: string[]): IPolicyValidationContext {
    return {
      templatePaths: files,
      stackTemplates: files.map((templatePath) => ({
        stackConstructPath: path.basename(templatePath), templatePath, accountId: ENV.account, region: ENV.region,
      })),
      accountId: ENV.account,
      region: ENV.region,
      appConstruct: new App(),
    };
  }

  test('reports exactly what aws-cdk-lib\'s plugin reports, answered by the worker', () => {
    // GIVEN two templates with schema errors, one of them in both (the plugin merges those)
    const context = contextFor(
      template('a', { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon', Bogus: 1 } } }),
      template('b', { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } }, Bucket: { Type: 'AWS::S3::Bucket' } }),
    );

    // WHEN
    const report = plugin.validate(context);

    // THEN
    expect(plugin.lastAnswer).toBe('worker');
    expect(report).toEqual(reference.validate(context));
    expect(report.success).toBe(false);
    expect(report.violations).toEqual(expect.arrayContaining([
      expect.objectContaining({ ruleName: 'F3002', severity: 'error' }),
      expect.objectContaining({ ruleName: 'F3012', severity: 'error', violatingResources: [expect.anything(), expect.anything()] }),
    ]));
    expect(plugin.version).toBe(reference.version);
    expect(plugin.ruleIds).toEqual([reference.version]);
  });

  test('remembers the resource types it validated, so the next synth starts the engine for them', () => {
    // GIVEN the validation above (the worker writes the hint after it answered)
    // THEN
    expect(eventually(() => fs.existsSync(hints))).toBe(true);
    expect(JSON.parse(fs.readFileSync(hints, 'utf-8'))).toEqual(['AWS::S3::Bucket', 'AWS::SQS::Queue']);
  });

  test('reports a clean template as a success', () => {
    // WHEN
    const report = plugin.validate(contextFor(template('clean', { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } } })));

    // THEN
    expect(report).toEqual({ success: true, violations: [] });
  });

  describe('registered on an app', () => {
    function appWithQueue(visibilityTimeout: unknown, acknowledge = false): App {
      const app = new App({ outdir: fs.mkdtempSync(path.join(dir, 'app-')), context: FLAGS });
      Validations.of(app).addPlugins(plugin);
      const queue = new CfnResource(new Stack(app, 'Queues', { env: ENV }), 'Queue', {
        type: 'AWS::SQS::Queue',
        properties: { VisibilityTimeout: visibilityTimeout },
      });
      if (acknowledge) Validations.of(queue).acknowledge({ id: 'CloudFormation-Validate::F3012', reason: 'test: the finding is expected' });
      return app;
    }

    test('replaces the built-in validation, and its errors fail the synth', () => {
      // GIVEN
      const app = appWithQueue('soon');

      // WHEN / THEN
      expect(() => app.synth()).toThrow(/VisibilityTimeout: 'soon' is not of type 'integer' \(CloudFormation Validate\)[\s\S]*CloudFormation-Validate::F3012/);
      const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf-8'));
      // one CloudFormation validation: aws-cdk-lib did not add its built-in instance beside this one
      expect(report.pluginReports).toEqual([expect.objectContaining({
        pluginName: 'CloudFormation Validate',
        pluginVersion: reference.version,
        conclusion: 'failure',
        violations: [expect.objectContaining({ ruleName: 'F3012', violatingConstructs: [expect.objectContaining({ constructPath: 'Queues/Queue' })] })],
      })]);
    });

    test('honours acknowledgments as the built-in validation does', () => {
      // GIVEN
      const app = appWithQueue('soon', true);

      // WHEN / THEN
      expect(() => app.synth()).not.toThrow();
    });
  });

  test('validates the assembly as soon as it is written, and answers from that when nothing changed', () => {
    // GIVEN a synthesized app, and a plugin watching its assembly
    const app = new App({ outdir: fs.mkdtempSync(path.join(dir, 'ahead-')), builtinCloudFormationValidation: false });
    new CfnResource(new Stack(app, 'Queues', { env: ENV }), 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });
    const assembly = app.synth();
    const ahead = own({ outdir: app.outdir });
    const context = contextFor(...assembly.stacks.map((s) => s.templateFullPath));

    // WHEN the manifest is (re)written after the plugin started, and the request comes later
    const now = new Date();
    fs.utimesSync(path.join(app.outdir, 'manifest.json'), now, now);
    sleep(2_000); // the worker starts, finds the manifest and validates (a request that comes first is answered as usual)
    const report = ahead.validate({
      ...context,
      stackTemplates: assembly.stacks.map((s) => ({
        stackConstructPath: s.hierarchicalId, templatePath: s.templateFullPath, accountId: ENV.account, region: ENV.region,
      })),
    });

    // THEN
    expect(ahead.lastAnswer).toBe('worker, ahead');
    expect(report.violations).toEqual([expect.objectContaining({ ruleName: 'F3012' })]);
  });

  test('validates again when a template changed after it was validated ahead', () => {
    // GIVEN a synthesized app, validated ahead
    const app = new App({ outdir: fs.mkdtempSync(path.join(dir, 'changed-')), builtinCloudFormationValidation: false });
    new CfnResource(new Stack(app, 'Queues', { env: ENV }), 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });
    const assembly = app.synth();
    const ahead = own({ outdir: app.outdir });
    const now = new Date();
    fs.utimesSync(path.join(app.outdir, 'manifest.json'), now, now);
    sleep(1_000);

    // WHEN the template changes before the request
    const file = assembly.stacks[0].templateFullPath;
    const changed = JSON.parse(fs.readFileSync(file, 'utf-8'));
    changed.Resources.Queue.Properties.VisibilityTimeout = 30;
    fs.writeFileSync(file, JSON.stringify(changed));
    const report = ahead.validate({
      templatePaths: [file],
      stackTemplates: [{ stackConstructPath: assembly.stacks[0].hierarchicalId, templatePath: file, accountId: ENV.account, region: ENV.region }],
      accountId: ENV.account,
      region: ENV.region,
      appConstruct: app,
    });

    // THEN the answer is of the template as it is now
    expect(report).toEqual({ success: true, violations: [] });
    expect(ahead.lastAnswer).toBe('worker');
  });

  // The fallback is aws-cdk-lib's own validate (the base class's), proven equal above; these tests
  // check that it is called, without starting another engine in this thread.
  const CANNED = { success: true, violations: [] };

  test('validates in this thread when the worker does not answer in time', () => {
    // GIVEN a worker that cannot start its engine in a millisecond
    const impatient = own({ timeoutMs: 1 });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const inThread = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate').mockReturnValue(CANNED);
    const context = contextFor(template('late', { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } } }));

    try {
      // WHEN
      const report = impatient.validate(context);

      // THEN
      expect(impatient.lastAnswer).toBe('this thread');
      expect(inThread).toHaveBeenCalledWith(context);
      expect(report).toBe(CANNED);
      expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/validation worker failed; validating in this thread: no answer within 1 ms/));
      expect(impatient.version).toBe(reference.version);
    } finally {
      stderr.mockRestore();
      inThread.mockRestore();
    }
  });

  test('reports the worker\'s error and fails as aws-cdk-lib\'s plugin fails, for a template it cannot read', () => {
    // GIVEN
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const missing = path.join(dir, 'missing.template.json');

    try {
      // WHEN / THEN
      expect(() => plugin.validate(contextFor(missing))).toThrow(/ENOENT/);
      expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/validation worker failed[\s\S]*ENOENT/));
    } finally {
      stderr.mockRestore();
    }
  });

  test('validates in this thread once closed', async () => {
    // GIVEN
    const closed = own({});
    await closed.close();
    const inThread = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate').mockReturnValue(CANNED);
    const context = contextFor(template('closed', { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } } }));

    try {
      // WHEN
      const report = closed.validate(context);

      // THEN
      expect(closed.lastAnswer).toBe('this thread');
      expect(inThread).toHaveBeenCalledWith(context);
      expect(report).toBe(CANNED);
    } finally {
      inThread.mockRestore();
    }
  });

  describe('a worker started before the app (examples/synth.mjs)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const workerSide = require('../../examples/validate-worker.cjs');
    const EARLY = Symbol.for('cdk-sagemaker-platform/validate-worker');

    // a hint file that does not exist: these workers start no engine
    const noHints = path.join(dir, 'no-hints.json');

    test('is adopted by a plugin that watches the same assembly with the same hint file', async () => {
      // GIVEN
      workerSide.startEarly({ outdir: dir, resourceTypesFile: noHints });
      const early = (globalThis as any)[EARLY];

      // WHEN
      const adopted = workerSide.adopt({ outdir: dir, resourceTypesFile: noHints });

      // THEN
      expect(adopted).toBe(early);
      expect((globalThis as any)[EARLY]).toBeUndefined();
      await adopted.worker.terminate();
    });

    test('is stopped, and a worker of its own started, for a plugin with other options', async () => {
      // GIVEN
      workerSide.startEarly({ outdir: dir, resourceTypesFile: noHints });
      const early = (globalThis as any)[EARLY];
      const terminate = jest.spyOn(early.worker, 'terminate');

      // WHEN
      const adopted = workerSide.adopt({ outdir: path.join(dir, 'elsewhere'), resourceTypesFile: noHints });

      // THEN
      expect(adopted).not.toBe(early);
      expect(terminate).toHaveBeenCalled();
      await adopted.worker.terminate();
    });
  });
});
