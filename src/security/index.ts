export * from './secure-bucket';
export * from './platform-keys';
export * from './job-guardrails';
export * from './sagemaker-policies';
