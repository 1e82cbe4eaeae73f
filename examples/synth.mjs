/**
 * What `npx cdk synth` runs (cdk.json): builds what a fresh clone lacks, then runs examples/app.ts.
 *
 * 1. The custom-resource handlers are bundled by projen's `bundle` task into `assets/` (not committed);
 *    a handler bundle that is missing or older than the sources under `lambda/` is rebuilt here with the
 *    very esbuild arguments of that task (read from .projen/tasks.json), so `npm ci && npx cdk synth`
 *    works on a fresh machine and never synthesizes a stale handler.
 * 2. The example app and the library sources are bundled into one CommonJS file with esbuild (a few
 *    hundred milliseconds, only when a source changed): loading one transpiled file is much cheaper than
 *    transpiling and resolving ~200 TypeScript modules at every synth. Packages stay external.
 *    `__dirname` of each source file is kept, so asset paths resolve as they do in the sources.
 *
 * Type checking is the build's job (`npx projen build`), as with any transpile-only runner.
 *
 * cdk.json runs it as `node --single-threaded-gc --liftoff-only examples/synth.mjs`: on two cores,
 * V8's parallel garbage collection helpers and its optimizing recompilation of the CloudFormation
 * validation engine's WebAssembly take the cores the synth and its validation worker need; see
 * docs/decisions/0004-validation-in-a-worker.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'cdk-sagemaker-platform');
const appBundle = path.join(cacheDir, 'examples-app.cjs');
const inputsFile = path.join(cacheDir, 'examples-app.inputs.json');
const require = createRequire(import.meta.url);

/** Modification time of a file in ms, or undefined when it does not exist. */
function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Newest modification time of the files below a directory. */
function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, mtime(path.join(entry.parentPath ?? entry.path, entry.name)) ?? 0);
  }
  return latest;
}

/** Rebuilds missing or stale handler bundles with the esbuild arguments of projen's bundle tasks. */
function ensureHandlerBundles() {
  const tasks = JSON.parse(fs.readFileSync(path.join(root, '.projen', 'tasks.json'), 'utf-8')).tasks;
  const sources = newest(path.join(root, 'lambda'));
  for (const step of tasks.bundle?.steps ?? []) {
    const args = tasks[step.spawn]?.steps?.[0]?.execArgs;
    const outfile = args?.find((a) => a.startsWith('--outfile='))?.slice('--outfile='.length);
    if (!args || args[0] !== 'esbuild' || !outfile) continue;
    const built = mtime(path.join(root, outfile));
    if (built !== undefined && built >= sources) continue;
    const esbuild = path.join(root, 'node_modules', '.bin', 'esbuild');
    const result = spawnSync(esbuild, [...args.slice(1), '--log-level=warning'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`bundling ${step.spawn} failed (exit ${result.status}); run 'npx projen bundle' to see why`);
  }
}

/** True when the app bundle exists and none of the files it was built from changed or disappeared. */
function appBundleIsCurrent() {
  const built = mtime(appBundle);
  if (built === undefined || mtime(inputsFile) === undefined) return false;
  const { inputs } = JSON.parse(fs.readFileSync(inputsFile, 'utf-8'));
  return inputs.every((file) => {
    const t = mtime(path.join(root, file));
    return t !== undefined && t <= built;
  });
}

/** Bundles examples/app.ts and the library sources it imports into one CommonJS file. */
async function buildAppBundle() {
  const esbuild = require('esbuild');
  // `__dirname` of every source file, relative to the project root, resolved at run time
  const keepDirname = {
    name: 'keep-dirname',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        let contents = await fs.promises.readFile(args.path, 'utf-8');
        if (/\b__dirname\b/.test(contents)) {
          const dir = path.relative(root, path.dirname(args.path)).split(path.sep).join('/');
          contents = contents.replace(/\b__dirname\b/g, `__sourceDir(${JSON.stringify(dir)})`);
        }
        return { contents, loader: 'ts' };
      });
    },
  };
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['examples/app.ts'],
    outfile: appBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    banner: {
      js: `const __projectRoot = require('path').resolve(__dirname, '../../..');\n`
        + 'const __sourceDir = (dir) => require(\'path\').join(__projectRoot, dir);',
    },
    plugins: [keepDirname],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/'));
  fs.writeFileSync(inputsFile, JSON.stringify({ inputs }));
}

ensureHandlerBundles();
if (!appBundleIsCurrent()) await buildAppBundle();
// The CloudFormation validation (examples/worker-validation.ts) runs in a worker thread; starting it
// before the app is loaded gives its engine the ~0.5 s the app takes to load, too.
if (process.env.CDK_VALIDATION !== 'false') {
  require('./validate-worker.cjs').startEarly({
    outdir: process.env.CDK_OUTDIR,
    resourceTypesFile: path.join(cacheDir, 'resource-types.json'),
  });
}
// `cdk synth --debug`: stack traces point into the sources (source maps cost time on every trace)
if (process.env.CDK_DEBUG) process.setSourceMapsEnabled(true);
require(appBundle);
