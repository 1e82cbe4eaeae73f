// Restores lock-file entries of optional platform packages the local registry does not serve.
// npm install drops an optional dependency it cannot fetch, and npm ci then refuses the lock.
// The entries carry os/cpu, so npm ci skips them on this platform without fetching anything.
const fs = require('fs');
const lockPath = process.argv[2] || 'package-lock.json';
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf-8'));
const platform = (suffix) => {
  const os = suffix.startsWith('android') ? 'android' : suffix.startsWith('darwin') ? 'darwin'
    : suffix.startsWith('freebsd') ? 'freebsd' : suffix.startsWith('openharmony') ? 'openharmony'
      : suffix.startsWith('win32') ? 'win32' : 'linux';
  const cpu = /arm64/.test(suffix) ? 'arm64' : /-arm-|arm-eabi/.test(suffix) ? 'arm' : /x64/.test(suffix) ? 'x64'
    : /ia32/.test(suffix) ? 'ia32' : /loong64/.test(suffix) ? 'loong64' : /ppc64/.test(suffix) ? 'ppc64'
      : /riscv64/.test(suffix) ? 'riscv64' : /s390x/.test(suffix) ? 's390x' : undefined;
  const libc = /-musl/.test(suffix) ? 'musl' : /-gnu/.test(suffix) ? 'glibc' : undefined;
  return { os, cpu, libc };
};
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${dep}`;
    if (lock.packages[target] || lock.packages[`${key}/${target}`]) continue;
    const m = /^@unrs\/resolver-binding-(.*)$/.exec(dep);
    if (!m) continue;
    const { os, cpu, libc } = platform(m[1]);
    lock.packages[target] = { version, dev: entry.dev, optional: true, os: [os], ...(cpu ? { cpu: [cpu] } : {}), ...(libc ? { libc: [libc] } : {}) };
    added++;
  }
}
if (added > 0) fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`fix-lock: restored ${added} optional platform entries`);