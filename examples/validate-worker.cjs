// @ts-check
/**
 * Both sides of the CloudFormation validation worker of examples/worker-validation.ts. Plain
 * JavaScript: Node.js loads it as it is, with no transpiler, as a module and as the worker itself.
 *
 * On the main thread it exports `startEarly` (spawn a worker before the app is even loaded:
 * examples/synth.mjs) and `adopt` (the plugin takes the early worker when it was started
 * for the same assembly, or starts its own).
 *
 * The worker runs aws-cdk-lib's own CloudFormationValidatePlugin:
 * 1. starts the plugin's engine for the resource types the app used before (a hint file);
 * 2. watches the cloud assembly for this synth's manifest and validates its stacks ahead of the request,
 *    while the main thread runs the other rule packs (speculatively: the request is answered from it
 *    only when it names the same stacks, in the same order, and the templates still hash the same);
 * 3. answers the request: one message on `port`, then `signal[0] = 1` and a notify, because the main
 *    thread waits synchronously (a validation plugin's `validate` is synchronous).
 */
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  module.exports = mainThread();
} else {
  workerThread();
}

/** The main thread's side: starting workers. */
function mainThread() {
  const { MessageChannel, Worker } = require('node:worker_threads');
  const EARLY = Symbol.for('cdk-sagemaker-platform/validate-worker');

  /**
   * Starts a worker. The worker never keeps the process alive (a synth that fails before validating
   * exits); a worker that fails answers with its error, or is waited for until the plugin's timeout.
   *
   * @param {{ resourceTypesFile?: string, outdir?: string }} options
   */
  function start(options) {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(__filename, {
      workerData: {
        port: port2,
        signal,
        awsCdkLib: require.resolve('aws-cdk-lib'),
        cxApi: require.resolve('aws-cdk-lib/cx-api'),
        resourceTypesFile: options.resourceTypesFile,
        outdir: options.outdir,
        since: Date.now(),
      },
      transferList: [port2],
    });
    worker.on('error', () => undefined);
    worker.unref();
    port1.unref();
    return { worker, port: port1, signal, options: { resourceTypesFile: options.resourceTypesFile, outdir: options.outdir } };
  }

  /** Starts a worker now, for the first plugin of this process to adopt. @param {{ resourceTypesFile?: string, outdir?: string }} options */
  function startEarly(options) {
    globalThis[EARLY] = start(options);
  }

  /** The early worker when it was started with these options, else a new one. @param {{ resourceTypesFile?: string, outdir?: string }} options */
  function adopt(options) {
    const early = globalThis[EARLY];
    delete globalThis[EARLY];
    if (early && early.options.resourceTypesFile === options.resourceTypesFile && early.options.outdir === options.outdir) return early;
    if (early) void early.worker.terminate();
    return start(options);
  }

  return { startEarly, adopt };
}

/** The worker's side. */
function workerThread() {
  const crypto = require('node:crypto');
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const { workerData } = require('node:worker_threads');

  /**
   * @type {{ port: import('node:worker_threads').MessagePort, signal: Int32Array, awsCdkLib: string, cxApi: string,
   *   resourceTypesFile?: string, outdir?: string, since: number }}
   */
  const { port, signal, awsCdkLib, cxApi, resourceTypesFile, outdir, since } = workerData;

  function answer(message) {
    port.postMessage(message);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  }

  // whatever escapes below is still an answer: the main thread is blocked until it gets one
  process.on('uncaughtException', (e) => answer({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));

  /** The resource types of earlier synths (a hint only: a type outside it costs an engine restart, not a finding). */
  function readTypes() {
    try {
      const types = JSON.parse(fs.readFileSync(resourceTypesFile ?? '', 'utf-8'));
      return Array.isArray(types) ? types.filter((t) => typeof t === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Adds the resource types of these templates to the hint file, when there are new ones. */
  function rememberTypes(known, templatePaths) {
    if (!resourceTypesFile) return;
    const types = new Set(known);
    for (const file of templatePaths) {
      try {
        for (const resource of Object.values(JSON.parse(fs.readFileSync(file, 'utf-8')).Resources ?? {})) {
          if (typeof resource?.Type === 'string') types.add(resource.Type);
        }
      } catch {
        // an unreadable template is the validation's to report, not the hint's
      }
    }
    if (types.size === known.length) return;
    try {
      fs.mkdirSync(path.dirname(resourceTypesFile), { recursive: true });
      fs.writeFileSync(resourceTypesFile, JSON.stringify([...types].sort(), undefined, 1));
    } catch {
      // the hint is an optimization
    }
  }

  /** What identifies a request: its stacks, in order, and the content of their templates. */
  function fingerprint(request) {
    const hash = crypto.createHash('sha256');
    hash.update(JSON.stringify([request.accountId ?? null, request.region ?? null, request.templatePaths]));
    for (const s of request.stackTemplates) {
      hash.update(JSON.stringify([s.stackConstructPath, s.templatePath, s.accountId ?? null, s.region ?? null]));
      hash.update(fs.readFileSync(s.templatePath));
    }
    return hash.digest('hex');
  }

  /**
   * The request aws-cdk-lib will make for the assembly in `outdir` (its stacks in the assembly's order,
   * as in aws-cdk-lib's synthesis-validation), or undefined when this synth has not written it yet.
   */
  function expectedRequest() {
    const manifest = path.join(outdir ?? '', 'manifest.json');
    let stat;
    try {
      stat = fs.statSync(manifest);
    } catch {
      return undefined;
    }
    if (stat.mtimeMs < since) return undefined; // an earlier synth's
    const { CloudAssembly, UNKNOWN_ACCOUNT, UNKNOWN_REGION } = require(cxApi);
    const stacks = new CloudAssembly(outdir).stacksRecursively;
    const stackTemplates = stacks.map((s) => ({
      stackConstructPath: s.hierarchicalId,
      templatePath: s.templateFullPath,
      accountId: s.environment.account !== UNKNOWN_ACCOUNT ? s.environment.account : undefined,
      region: s.environment.region !== UNKNOWN_REGION ? s.environment.region : undefined,
    }));
    const same = (key) => (stackTemplates.every((s) => s[key] === stackTemplates[0]?.[key]) ? stackTemplates[0]?.[key] : undefined);
    return { templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates, accountId: same('accountId'), region: same('region') };
  }

  let plugin;
  let startError;
  const known = readTypes();
  try {
    const { CloudFormationValidatePlugin } = require(awsCdkLib);
    plugin = new CloudFormationValidatePlugin();
    // The plugin starts its engine for the resource types of the templates it validates, and starts it
    // again when a later call brings a type it has not seen; validating one resource of every type the
    // app used before makes the real call find the engine ready.
    if (known.length > 0) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-validate-warmup-'));
      try {
        const templatePath = path.join(dir, 'warmup.template.json');
        const resources = Object.fromEntries(known.map((type, i) => [`R${i}`, { Type: type }]));
        fs.writeFileSync(templatePath, JSON.stringify({ Resources: resources }));
        plugin.validate({ templatePaths: [templatePath], stackTemplates: [{ stackConstructPath: 'Warmup', templatePath }] });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } catch (e) {
    startError = e;
  }

  /** @type {{ fingerprint: string, report: unknown } | undefined} */
  let ahead;
  let requested = false;
  let unreadable = 0;
  const watch = outdir && !startError
    ? setInterval(() => {
      if (requested) return clearInterval(watch);
      let request;
      try {
        request = expectedRequest();
      } catch {
        // a manifest caught while it is written; give up after a second of that
        if (++unreadable > 50) clearInterval(watch);
        return;
      }
      if (!request) return;
      clearInterval(watch);
      try {
        const before = fingerprint(request);
        const report = plugin.validate(request);
        // templates rewritten while they were read are not what was validated
        if (fingerprint(request) === before) ahead = { fingerprint: before, report };
        rememberTypes(known, request.templatePaths);
      } catch {
        // validating ahead is an optimization; the request is answered as usual
      }
    }, 20)
    : undefined;

  port.on('message', (request) => {
    requested = true;
    if (watch) clearInterval(watch);
    try {
      if (startError) throw startError;
      if (ahead && fingerprint(request) === ahead.fingerprint) {
        answer({ report: ahead.report, version: plugin.version, ahead: true });
      } else {
        answer({ report: plugin.validate(request), version: plugin.version, ahead: false });
        rememberTypes(known, request.templatePaths); // after the answer: the hint must not delay the synth
      }
    } catch (e) {
      answer({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}
