/**
 * `npm run bench`: what a user waits for and what CloudFormation will accept.
 *
 * - wall time of `cdk synth` through the same CLI, median of RUNS runs, as a ratio to an empty
 *   aws-cdk-lib app (target: at most 1.5), and to the same empty app run with the V8 flags cdk.json
 *   gives the example app (a like-for-like floor): the main example (`-c examples=Platform`: the whole
 *   platform, SecureMlPlatform in four stacks) and the full example app (every example, as cdk.json
 *   runs it); the first run after a source change also bundles the app (examples/synth.mjs), timed apart;
 * - per stack (nested stacks included): resource count and template bytes against CloudFormation's
 *   limits (500, 1 MB);
 * - VPC interface endpoints per stack (each one costs per AZ-hour);
 * - in-process construct + `app.synth()` time of a SecureMlPlatform with 2 users (1 team) and with 200
 *   users (10 teams of 20), with the example app's validation (the four rule packs, the CloudFormation
 *   validation), median of PLATFORM_RUNS runs, and the cost per added user.
 *
 * Prints results; asserts nothing (timings do not belong in tests).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { addCompliancePacks } from '../../examples/environment';
import { SecureMlPlatform } from '../../src/platform';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PLATFORM_RUNS = Number(process.env.BENCH_PLATFORM_RUNS ?? 3);
const root = path.resolve(__dirname, '..', '..');
const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeSynth(label: string, app: string | undefined, outdir: string, extra: string[] = []): number {
  const times: number[] = [];
  let first = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const args = ['synth', '--quiet', '-o', outdir, ...extra];
    if (app) args.push('-a', app);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cdk, args, { cwd: root, encoding: 'utf-8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${label} synth failed:\n${r.stdout}\n${r.stderr}`);
    if (i > 0) times.push(ms); else first = ms; // the first run warms the file cache
  }
  const m = median(times);
  console.log(`${label.padEnd(34)} median ${(m / 1000).toFixed(2)} s  runs ${times.map((t) => (t / 1000).toFixed(2)).join(' ')}`
    + `  (first run ${(first / 1000).toFixed(2)} s)`);
  return m;
}

// the floor: one stack with one resource (an empty template is itself a validation error)
fs.writeFileSync(path.join(work, 'empty.js'), [
  "const { App, Stack, CfnWaitConditionHandle } = require('aws-cdk-lib');",
  "const app = new App(); new CfnWaitConditionHandle(new Stack(app, 'Empty'), 'Handle'); app.synth();",
].join('\n'));
process.env.NODE_PATH = path.join(root, 'node_modules');

console.log(`# bench (${RUNS} runs each, ${os.cpus().length} cores, node ${process.version})\n`);
const empty = timeSynth('empty aws-cdk-lib app', `node ${path.join(work, 'empty.js')}`, path.join(work, 'empty.out'));
// the same floor under the V8 flags cdk.json gives the example app (decision 0004), for a like-for-like ratio
const nodeFlags: string[] = (JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf-8')).app as string)
  .split(/\s+/).filter((arg) => arg.startsWith('--'));
const emptyFlagged = timeSynth('empty app, cdk.json V8 flags', `node ${nodeFlags.join(' ')} ${path.join(work, 'empty.js')}`, path.join(work, 'empty.out'));
// the first synth after a change rebuilds the app bundle: start from none, time that run apart
fs.rmSync(path.join(root, 'node_modules', '.cache', 'cdk-sagemaker-platform'), { recursive: true, force: true });
const main = timeSynth('main example (-c examples=Platform)', undefined, path.join(work, 'main.out'), ['-c', 'examples=Platform']);
const out = path.join(work, 'examples.out');
const full = timeSynth('full example app (cdk.json)', undefined, out);
console.log(`\nratio main example/empty: ${(main / empty).toFixed(2)} (target <= 1.5); `
  + `against the empty app under the same V8 flags: ${(main / emptyFlagged).toFixed(2)}`);
console.log(`ratio full example app/empty: ${(full / empty).toFixed(2)}; under the same V8 flags: ${(full / emptyFlagged).toFixed(2)}\n`);

printStacks(out);

// ---------- SecureMlPlatform: 2 users against 200 users, in process ----------
interface PlatformRun { constructMs: number; synthMs: number; outdir: string; endpointRules: number }

/** Builds and synthesizes a platform of `teams` teams of `users` users, as the example app would. */
function platformRun(teams: number, users: number): PlatformRun {
  const outdir = fs.mkdtempSync(path.join(work, `platform-${teams * users}-`));
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  addCompliancePacks(app);
  const platform = new SecureMlPlatform(app, 'Platform', { platformName: 'bench', env: { account: '123456789012', region: 'us-east-1' } });
  for (let t = 0; t < teams; t++) {
    platform.addTeam(`team-${t}`, { members: Array.from({ length: users }, (_, u) => ({ userName: `user-${t}-${u}` })) });
  }
  const t1 = process.hrtime.bigint();
  app.synth();
  const t2 = process.hrtime.bigint();
  return { constructMs: Number(t1 - t0) / 1e6, synthMs: Number(t2 - t1) / 1e6, outdir, endpointRules: platform.network.endpointAccessCount };
}

function medianRun(label: string, teams: number, users: number): PlatformRun {
  const runs: PlatformRun[] = [];
  for (let i = 0; i < PLATFORM_RUNS; i++) runs.push(platformRun(teams, users));
  const total = (r: PlatformRun) => r.constructMs + r.synthMs;
  const sorted = [...runs].sort((a, b) => total(a) - total(b));
  const m = sorted[Math.floor(sorted.length / 2)];
  console.log(`${label.padEnd(28)} median ${(total(m) / 1000).toFixed(2)} s (construct ${(m.constructMs / 1000).toFixed(2)} s, `
    + `synth and validation ${(m.synthMs / 1000).toFixed(2)} s)  runs ${runs.map((r) => (total(r) / 1000).toFixed(2)).join(' ')}`);
  return m;
}

console.log(`\n# SecureMlPlatform in process (${PLATFORM_RUNS} runs each, after one warm-up run)\n`);
platformRun(1, 2); // warm-up: module loading and the CloudFormation validation engine
const small = medianRun('platform, 1 team x 2 users', 1, 2);
const large = medianRun('platform, 10 teams x 20 users', 10, 20);
const smallMs = small.constructMs + small.synthMs;
const largeMs = large.constructMs + large.synthMs;
console.log(`\n200 users / 2 users: ${(largeMs / smallMs).toFixed(1)}x the time for 100x the users; `
  + `${((largeMs - smallMs) / 198).toFixed(0)} ms per added user (construct ${((large.constructMs - small.constructMs) / 198).toFixed(0)} ms, `
  + `synth ${((large.synthMs - small.synthMs) / 198).toFixed(0)} ms)`);
console.log(`endpoint security group inbound rules: ${small.endpointRules} (2 users), ${large.endpointRules} (200 users; default quota 60)\n`);
console.log('2 users:');
printStacks(small.outdir);
console.log('\n200 users:');
printStacks(large.outdir);
fs.rmSync(work, { recursive: true, force: true });

/** Resources, bytes and interface endpoints of every template of a cloud assembly, nested ones under their parent. */
function printStacks(dir: string): void {
  console.log('stack'.padEnd(44), 'resources'.padStart(9), '/500', 'bytes'.padStart(10), '/1 MB', 'endpoints'.padStart(10));
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
  const nestedFiles = new Set(fs.readdirSync(dir).filter((f) => f.endsWith('.nested.template.json')));
  const row = (name: string, file: string) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf-8');
    const template = JSON.parse(text);
    const resources: Record<string, any> = template.Resources ?? {};
    const count = Object.keys(resources).length;
    // the file as uploaded (CloudFormation's 1 MB limit applies to it)
    const bytes = Buffer.byteLength(text);
    const endpoints = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties?.VpcEndpointType === 'Interface').length;
    console.log(name.padEnd(44), String(count).padStart(9), `${((count / 500) * 100).toFixed(0)}%`.padStart(4),
      String(bytes).padStart(10), `${((bytes / 1_000_000) * 100).toFixed(1)}%`.padStart(5), String(endpoints).padStart(10));
    return resources;
  };
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const resources = row(artifact.displayName ?? name, artifact.properties.templateFile);
    for (const [id, r] of Object.entries<any>(resources)) {
      if (r.Type !== 'AWS::CloudFormation::Stack') continue;
      const file = r.Metadata?.['aws:asset:path'] ?? [...nestedFiles].find((f) => f.includes(id.replace(/NestedStack.*$/, '')));
      if (file && nestedFiles.has(file)) {
        nestedFiles.delete(file);
        row(`  ${file.replace('.nested.template.json', '')} (nested)`, file);
      }
    }
  }
  for (const file of nestedFiles) row(`  ${file.replace('.nested.template.json', '')} (nested)`, file);
}
