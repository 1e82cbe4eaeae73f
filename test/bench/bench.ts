/**
 * `npm run bench`: what a user waits for and what CloudFormation will accept.
 *
 * - wall time of `cdk synth` of the example app (as cdk.json runs it) against an empty aws-cdk-lib
 *   app through the same CLI, median of RUNS runs, printed as a ratio (target: at most 1.5);
 * - per stack: resource count and template bytes against CloudFormation's limits (500, 1 MB);
 * - VPC interface endpoints per stack (each one costs per AZ-hour).
 *
 * Prints results; asserts nothing (timings do not belong in tests).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const root = path.resolve(__dirname, '..', '..');
const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeSynth(label: string, app: string | undefined, outdir: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const args = ['synth', '--quiet', '-o', outdir];
    if (app) args.push('-a', app);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cdk, args, { cwd: root, encoding: 'utf-8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${label} synth failed:\n${r.stdout}\n${r.stderr}`);
    if (i > 0) times.push(ms); // the first run warms the file cache
  }
  const m = median(times);
  console.log(`${label.padEnd(28)} median ${(m / 1000).toFixed(2)} s  runs ${times.map((t) => (t / 1000).toFixed(2)).join(' ')}`);
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
const out = path.join(work, 'examples.out');
const full = timeSynth('example app (cdk.json)', undefined, out);
console.log(`\nratio example/empty: ${(full / empty).toFixed(2)} (target <= 1.5)\n`);

console.log('stack'.padEnd(40), 'resources'.padStart(9), '/500', 'bytes'.padStart(10), '/1 MB', 'endpoints'.padStart(10));
const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf-8'));
for (const [name, artifact] of Object.entries<any>(manifest.artifacts)) {
  if (artifact.type !== 'aws:cloudformation:stack') continue;
  const file = path.join(out, artifact.properties.templateFile);
  const text = fs.readFileSync(file, 'utf-8');
  const minified = JSON.stringify(JSON.parse(text));
  const resources: Record<string, any> = JSON.parse(text).Resources ?? {};
  const count = Object.keys(resources).length;
  const endpoints = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties?.VpcEndpointType === 'Interface').length;
  console.log(name.padEnd(40), String(count).padStart(9), `${((count / 500) * 100).toFixed(0)}%`.padStart(4),
    String(minified.length).padStart(10), `${((minified.length / 1_000_000) * 100).toFixed(1)}%`.padStart(5), String(endpoints).padStart(10));
}
fs.rmSync(work, { recursive: true, force: true });
