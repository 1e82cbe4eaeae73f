// The training module's public API; see ../../docs/readme/training.md
export * from './hyperpod-instance-type';
export * from './training-plan';
export * from './cluster-orchestrator';
export * from './instance-group';
export * from './gpu-training-cluster';
export * from './task-governance-policy';
export * from './team-compute-quota';
