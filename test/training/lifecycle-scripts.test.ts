import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lifecycleScripts, ON_CREATE, ON_CREATE_SH, provisioningParameters, sharedUsers } from '../../src/training/lifecycle-scripts';

/** True when `command` runs on this machine. */
function available(command: string, args: string[] = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

describe('lifecycle scripts', () => {
  // GIVEN the scripts written to a folder, as HyperPod downloads them to a node
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hyperpod-lcs-'));
  const scripts = lifecycleScripts();
  for (const s of scripts) fs.writeFileSync(path.join(dir, s.name), s.body);

  test('are bash scripts that fail fast, with on_create.sh as the entry point', () => {
    expect(scripts.map((s) => s.name)).toEqual([ON_CREATE, 'setup_slurm.sh', 'mount_fsx.sh', 'add_users.sh']);
    for (const s of scripts) {
      expect(s.body.startsWith('#!/bin/bash\n')).toBe(true);
      expect(s.body).toContain('set -euo pipefail');
    }
  });

  test('parse with bash -n', () => {
    for (const s of scripts) {
      expect(() => execFileSync('bash', ['-n', path.join(dir, s.name)])).not.toThrow();
    }
  });

  test('pass shellcheck', () => {
    if (!available('shellcheck')) {
      // eslint-disable-next-line no-console
      console.log('shellcheck is not installed: skipping the shellcheck assertion (apt-get install shellcheck)');
      return;
    }
    const result = spawnSync('shellcheck', ['-x', ...scripts.map((s) => s.name)], { cwd: dir, encoding: 'utf-8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('call only scripts they ship', () => {
    const shipped = new Set(scripts.map((s) => s.name));
    for (const s of scripts) {
      for (const [, called] of s.body.matchAll(/bash \.\/([a-z_]+\.sh)/g)) expect(shipped.has(called)).toBe(true);
    }
  });

  describe('node type detection of on_create.sh', () => {
    // the Python program on_create.sh runs to find this node's group in HyperPod's resource config
    const program = /<<'PY'\n([\s\S]*?)\nPY\n/.exec(ON_CREATE_SH)![1];
    const python = available('python3');
    const localIps = python ? spawnSync('hostname', ['-I'], { encoding: 'utf-8' }).stdout.trim().split(/\s+/).filter(Boolean) : [];
    const params = { workload_manager: 'slurm', controller_group: 'controller', login_group: 'login', worker_groups: [] };

    function run(groups: { [name: string]: string[] }): { status: number | null; stdout: string; stderr: string } {
      const resource = {
        InstanceGroups: Object.entries(groups).map(([Name, ips]) => ({ Name, Instances: ips.map((ip) => ({ CustomerIpAddress: ip })) })),
      };
      const rc = path.join(dir, 'resource_config.json');
      const pp = path.join(dir, 'params.json');
      fs.writeFileSync(rc, JSON.stringify(resource));
      fs.writeFileSync(pp, JSON.stringify(params));
      const r = spawnSync('python3', ['-', rc, pp], { input: program, encoding: 'utf-8' });
      return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
    }

    const maybe = python && localIps.length > 0 ? test : test.skip;

    maybe('finds a compute node and the controller addresses', () => {
      expect(run({ controller: ['10.1.0.5'], login: ['10.1.0.6'], gpu: [localIps[0], '10.1.0.7'] }))
        .toEqual({ status: 0, stdout: 'compute 10.1.0.5', stderr: '' });
    });

    maybe('finds the controller and the login node', () => {
      expect(run({ controller: [localIps[0]], gpu: ['10.1.0.7'] }).stdout).toBe(`controller ${localIps[0]}`);
      expect(run({ controller: ['10.1.0.5'], login: [localIps[0]] }).stdout).toBe('login 10.1.0.5');
    });

    maybe('fails when the node is not in the resource config', () => {
      const r = run({ controller: ['10.1.0.5'], gpu: ['10.1.0.7'] });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/are not in/);
    });
  });
});

describe('provisioning parameters', () => {
  test('Slurm: the controller, login and worker groups with their partitions, and the file system', () => {
    expect(provisioningParameters({
      workloadManager: 'slurm',
      controllerGroup: 'controller',
      loginGroup: 'login',
      workerGroups: [{ name: 'p5', partition: 'gpu' }, { name: 'trn', partition: 'trainium' }],
      fsx: { dnsName: 'fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com', mountName: 'abcdefgh', mountPath: '/fsx' },
    })).toEqual({
      version: '1.0.0',
      workload_manager: 'slurm',
      controller_group: 'controller',
      login_group: 'login',
      worker_groups: [
        { instance_group_name: 'p5', partition_name: 'gpu' },
        { instance_group_name: 'trn', partition_name: 'trainium' },
      ],
      fsx_dns_name: 'fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com',
      fsx_mountname: 'abcdefgh',
      fsx_mount_path: '/fsx',
    });
  });

  test('EKS: no Slurm groups', () => {
    expect(provisioningParameters({ workloadManager: 'eks', workerGroups: [{ name: 'p5', partition: 'p5' }] }))
      .toEqual({ version: '1.0.0', workload_manager: 'eks' });
  });

  test('shared users: one name,uid line each', () => {
    expect(sharedUsers([{ name: 'alice', uid: 2001 }, { name: 'bob', uid: 2002 }])).toBe('alice,2001\nbob,2002\n');
    expect(sharedUsers([])).toBe('');
  });
});
