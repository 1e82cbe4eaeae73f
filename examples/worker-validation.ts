import * as path from 'path';
import { MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import { CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';

/** Options of {@link WorkerCloudFormationValidatePlugin}. */
export interface WorkerCloudFormationValidatePluginOptions {
  /**
   * A file to remember the resource types of earlier synths in, so the engine the worker starts
   * early already knows them.
   *
   * @default - none: the worker starts the engine only when the templates arrive
   */
  readonly resourceTypesFile?: string;
  /**
   * The app's cloud assembly directory (`app.outdir`): the worker validates the templates as soon as the
   * assembly is written, ahead of the request, while the other rule packs run.
   *
   * @default - none: the worker validates when asked
   */
  readonly outdir?: string;
  /**
   * How long to wait for the worker before validating in this thread instead.
   *
   * @default 120 seconds
   */
  readonly timeoutMs?: number;
}

/** A worker started by examples/validate-worker.cjs. */
interface StartedWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

/** The main thread's side of examples/validate-worker.cjs (loaded at run time: it is also the worker's script). */
function workerSide(): { adopt(options: { resourceTypesFile?: string; outdir?: string }): StartedWorker } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, 'validate-worker.cjs'));
}

/** An answer of examples/validate-worker.cjs. */
interface WorkerAnswer {
  readonly report?: PolicyValidationPluginReport;
  readonly version?: string;
  readonly error?: string;
  /** Whether the report is of the validation ahead of the request. */
  readonly ahead?: boolean;
}

/**
 * aws-cdk-lib's CloudFormation validation (resource schemas and rules), with its engine started in a
 * worker thread while the app constructs.
 *
 * Starting the engine takes ~2 s of WebAssembly execution in every synth, before the first template
 * can be checked; on a machine with a second core that time now passes while the app constructs and
 * synthesizes. The checks are aws-cdk-lib's own: the worker runs an unmodified
 * `CloudFormationValidatePlugin` on the templates aws-cdk-lib wrote, and this plugin returns its report
 * as it is. Because this is an instance of that class, aws-cdk-lib treats it as the app's registered
 * CloudFormation validation: it does not add its built-in instance, its findings are errors under
 * `@aws-cdk/core:validateAgainstDefaultRules`, and acknowledgments (`CloudFormation-Validate::<rule>`)
 * apply as before. When the worker cannot answer, the validation runs in this thread, as the base class.
 */
export class WorkerCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  private readonly timeoutMs: number;
  /** The worker, its port and the signal it answers on; undefined once closed or failed. */
  private started?: StartedWorker;
  private workerVersion?: string;
  private answeredBy?: string;

  constructor(options: WorkerCloudFormationValidatePluginOptions = {}) {
    super();
    this.timeoutMs = options.timeoutMs ?? 120_000;
    try {
      // the worker examples/synth.mjs started before it loaded the app, when it watches the same assembly
      this.started = workerSide().adopt({ resourceTypesFile: options.resourceTypesFile, outdir: options.outdir });
    } catch {
      this.started = undefined;
    }
  }

  public get version(): string | undefined {
    return this.workerVersion;
  }

  public get ruleIds(): string[] | undefined {
    return this.workerVersion ? [this.workerVersion] : undefined;
  }

  /**
   * Who answered the last validation: `worker` (asked after the templates were written), `worker, ahead`
   * (validated by the worker as soon as the assembly was written) or `this thread` (the worker could not
   * answer); undefined before the first validation.
   */
  public get lastAnswer(): string | undefined {
    return this.answeredBy;
  }

  /**
   * Stops the worker (resolves when it has stopped); later validations run in this thread. A synth's
   * process exits without it (the worker does not keep it alive); tests and long-lived processes call it.
   */
  public async close(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    started?.port.close();
    await started?.worker.terminate();
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const answer = this.started ? this.ask(this.started, context) : undefined;
    if (answer?.report) {
      this.workerVersion = answer.version;
      this.answeredBy = answer.ahead ? 'worker, ahead' : 'worker';
      return answer.report;
    }
    if (answer?.error) process.stderr.write(`[CloudFormation Validate] the validation worker failed; validating in this thread: ${answer.error}\n`);
    const report = super.validate(context);
    this.workerVersion = super.version;
    this.answeredBy = 'this thread';
    return report;
  }

  /** Sends the templates to the worker and waits for its answer (the plugin interface is synchronous). */
  private ask(started: StartedWorker, context: IPolicyValidationContext): WorkerAnswer {
    Atomics.store(started.signal, 0, 0);
    // only the serializable part of the context: the worker reads the templates from disk
    started.port.postMessage({
      templatePaths: [...context.templatePaths],
      stackTemplates: context.stackTemplates.map((s) => ({ ...s })),
      accountId: context.accountId,
      region: context.region,
    });
    const waited = Atomics.wait(started.signal, 0, 0, this.timeoutMs);
    const message = receiveMessageOnPort(started.port)?.message as WorkerAnswer | undefined;
    if (waited === 'timed-out' || !message) {
      void this.close();
      return { error: `no answer within ${this.timeoutMs} ms` };
    }
    return message;
  }
}
