export * from './sagemaker-platform-checks';
