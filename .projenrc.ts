import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { awscdk, javascript, JsonFile, TextFile } from 'projen';

const CDK_VERSION = '2.276.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-sagemaker-platform',
  description: 'Secure-by-default AWS CDK constructs for an Amazon SageMaker ML platform: VPC-only Studio, per-user isolation, KMS everywhere, Feature Store, Pipelines, HyperPod and inference.',
  author: 'cdk-sagemaker-platform developers',
  authorAddress: 'cdk-sagemaker-platform@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-sagemaker-platform/cdk-sagemaker-platform.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'sagemaker', 'ml-platform', 'security', 'cdk-nag'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenrcTsOptions: {
    // keeps the top level to the files the project promises (no projenrc/ folder)
    projenCodeDir: '.projen/rc',
  },

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',
  minNodeVersion: '20.0.0',

  // jsii libraries we build on are peers, so consumers control their versions
  peerDeps: [
    'cdk-nag@^3.0.2',
    '@aws-cdk/aws-sagemaker-alpha@2.159.1-alpha.0',
  ],
  devDeps: [
    'cdk-nag@3.0.2',
    '@aws-cdk/aws-sagemaker-alpha@2.159.1-alpha.0',
    // the 3.x CLI rejects aws-cdk-lib 2.276 cloud assemblies
    'aws-cdk@~2.1148.0',
    'tsx@^4.23.0',
    'esbuild@^0.28.0',
    'ajv@^8.20.0',
    // AGPL: tests only, never shipped
    '@cloud-copilot/iam-simulate@^0.1.173',
    'aws-sdk-client-mock@^4.1.0',
    '@types/aws-lambda@^8.10.0',
    '@aws-sdk/client-sagemaker@^3.1142.0',
    '@aws-sdk/client-ec2@^3.1142.0',
    '@aws-sdk/client-efs@^3.1141.0',
    '@aws-sdk/client-service-catalog@^3.1079.0',
    '@aws-sdk/client-application-auto-scaling@^3.1141.0',
  ],

  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  docgen: true,
  stability: 'experimental',

  publishToPypi: {
    distName: 'cdk-sagemaker-platform',
    module: 'cdk_sagemaker_platform',
  },

  eslintOptions: {
    dirs: ['src', 'lambda'],
    devdirs: ['test', 'examples', '.projenrc.ts'],
  },
  gitignore: ['cdk.out', '.bench', '.venv-py', 'dist'],
  jestOptions: {
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverageFrom: ['src/**/*.ts', 'lambda/**/*.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/src/private/handlers/'],
      // two cores in CI: one worker per core
      maxWorkers: 2,
      testTimeout: 60_000,
    },
  },
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    // the Node.js 24 runtime ships AWS SDK v3: keep it out of the bundle
    bundlingOptions: { externals: ['@aws-sdk/*'], sourcemap: false },
  },
  lambdaAutoDiscover: false,
});

// the handlers import AWS SDK v3 clients the Lambda runtime provides: devDependencies on purpose
project.eslint?.allowDevDeps('lambda/**');

// ---------------------------------------------------------------------------
// Custom-resource handlers: one folder per handler under lambda/, bundled at build time.
// The generated constructs live in src/private/handlers and are never exported.
// ---------------------------------------------------------------------------
const handlers: Array<{ entry: string; name: string }> = [
  // studio
  { entry: 'lambda/domain-teardown/on-event.lambda.ts', name: 'domain-teardown-on-event' },
  { entry: 'lambda/domain-teardown/is-complete.lambda.ts', name: 'domain-teardown-is-complete' },
  { entry: 'lambda/projects-enabler/index.lambda.ts', name: 'projects-enabler' },
  { entry: 'lambda/canvas-settings/index.lambda.ts', name: 'canvas-settings' },
  // feature store
  { entry: 'lambda/feature-group-guard/index.lambda.ts', name: 'feature-group-guard' },
  { entry: 'lambda/feature-metadata/index.lambda.ts', name: 'feature-metadata' },
  // pipelines
  { entry: 'lambda/pipeline-starter/index.lambda.ts', name: 'pipeline-starter' },
  // inference
  { entry: 'lambda/scaling-guard/index.lambda.ts', name: 'scaling-guard' },
];
for (const h of handlers) {
  new awscdk.LambdaFunction(project, {
    entrypoint: h.entry,
    constructFile: `src/private/handlers/${h.name}-function.ts`,
    constructName: `${h.name.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('')}Function`,
    cdkDeps: project.cdkDeps,
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    bundlingOptions: { externals: ['@aws-sdk/*'], sourcemap: false },
  });
}

new JsonFile(project, 'lambda/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { rootDir: '.', noEmit: true, types: ['node'] },
    include: ['**/*.ts'],
  },
});

new JsonFile(project, 'examples/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { rootDir: '..', noEmit: true },
    include: ['**/*.ts', '../src/**/*.ts'],
  },
});

// ---------------------------------------------------------------------------
// The example app that `npx cdk synth` runs: every example stack, no credentials.
// ---------------------------------------------------------------------------
new JsonFile(project, 'cdk.json', {
  obj: {
    // builds the handler bundles a fresh clone lacks, bundles the example app with esbuild (transpile
    // only: the build type-checks) and runs it; see examples/synth.mjs. The two V8 flags keep V8's
    // background threads off the cores the synth and its validation worker need (decision 0004):
    // garbage collection on the collecting thread only, and the validation engine's WebAssembly on
    // the baseline compiler (the optimizing recompilation would also hold up the process's exit).
    app: 'node --single-threaded-gc --liftoff-only examples/synth.mjs',
    output: 'cdk.out',
    watch: { include: ['src/**', 'examples/**', 'lambda/**'] },
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
    },
  },
});

project.addTask('bench', {
  description: 'Synth wall time of each example against an empty aws-cdk-lib app; template sizes per stack',
  exec: 'tsx test/bench/bench.ts',
});

project.addTask('synth:examples', {
  description: 'Synthesize every example stack (no credentials needed)',
  exec: 'npx cdk synth --quiet',
});

// Python: pacmak's own Python build pip-installs pinned tools from PyPI; build the wheel from
// the generated sources with locally available setuptools instead.
const pythonTask = project.tasks.tryFind('package:python');
if (pythonTask) {
  pythonTask.reset('jsii-pacmak -v --target python --code-only');
  pythonTask.exec('bash .projen/package-python.sh');
}

// `build` packages JavaScript only, so it needs nothing but Node.js and npm; `package-all` adds Python.
project.tasks.tryFind('package')?.reset();
project.tasks.tryFind('package')?.spawn(project.tasks.tryFind('package:js')!);

new TextFile(project, '.projen/package-python.sh', {
  lines: [
    '#!/usr/bin/env bash',
    '# Builds the Python wheel from the sources `jsii-pacmak --code-only` wrote to dist/python, offline:',
    '# pacmak\'s own build pip-installs pinned tools from PyPI, which this environment cannot reach.',
    'set -euo pipefail',
    'venv=.venv-py',
    '[ -x "$venv/bin/python" ] || python3 -m venv "$venv"',
    '"$venv/bin/pip" install -q "setuptools==80.9.0" wheel',
    '"$venv/bin/pip" wheel --no-build-isolation --no-deps -w dist/python dist/python',
    'ls dist/python/*.whl',
  ],
});

// npm drops optional platform packages that the registry in use does not serve, and `npm ci`
// then rejects the lock file; restore them (see the script) after every install projen runs.
new TextFile(project, '.projen/fix-lock.js', {
  lines: [
    '// Restores lock-file entries of optional platform packages the local registry does not serve.',
    '// npm install drops an optional dependency it cannot fetch, and npm ci then refuses the lock.',
    '// The entries carry os/cpu, so npm ci skips them on this platform without fetching anything.',
    "const fs = require('fs');",
    "const lockPath = process.argv[2] || 'package-lock.json';",
    "const lock = JSON.parse(fs.readFileSync(lockPath, 'utf-8'));",
    'const platform = (suffix) => {',
    "  const os = suffix.startsWith('android') ? 'android' : suffix.startsWith('darwin') ? 'darwin'",
    "    : suffix.startsWith('freebsd') ? 'freebsd' : suffix.startsWith('openharmony') ? 'openharmony'",
    "      : suffix.startsWith('win32') ? 'win32' : 'linux';",
    "  const cpu = /arm64/.test(suffix) ? 'arm64' : /-arm-|arm-eabi/.test(suffix) ? 'arm' : /x64/.test(suffix) ? 'x64'",
    "    : /ia32/.test(suffix) ? 'ia32' : /loong64/.test(suffix) ? 'loong64' : /ppc64/.test(suffix) ? 'ppc64'",
    "      : /riscv64/.test(suffix) ? 'riscv64' : /s390x/.test(suffix) ? 's390x' : undefined;",
    "  const libc = /-musl/.test(suffix) ? 'musl' : /-gnu/.test(suffix) ? 'glibc' : undefined;",
    '  return { os, cpu, libc };',
    '};',
    'let added = 0;',
    'for (const [key, entry] of Object.entries(lock.packages)) {',
    '  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {',
    '    const target = `node_modules/${dep}`;',
    '    if (lock.packages[target] || lock.packages[`${key}/${target}`]) continue;',
    '    const m = /^@unrs\\/resolver-binding-(.*)$/.exec(dep);',
    '    if (!m) continue;',
    '    const { os, cpu, libc } = platform(m[1]);',
    '    lock.packages[target] = { version, dev: entry.dev, optional: true, os: [os], ...(cpu ? { cpu: [cpu] } : {}), ...(libc ? { libc: [libc] } : {}) };',
    '    added++;',
    '  }',
    '}',
    "if (added > 0) fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\\n');",
    'console.log(`fix-lock: restored ${added} optional platform entries`);',
  ],
});

project.synth();
if (fs.existsSync('package-lock.json') && fs.existsSync('.projen/fix-lock.js')) {
  execFileSync(process.execPath, ['.projen/fix-lock.js', 'package-lock.json'], { stdio: 'inherit' });
}

