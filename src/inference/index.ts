// The inference module's public API; see ../../docs/readme/inference.md
export * from './model-package';
export * from './model-artifacts';
export * from './model-source';
export * from './deployment-strategy';
export * from './endpoint-options';
export * from './variant-scaling';
export * from './copy-count-scaling';
export * from './model-endpoint';
export * from './async-model-endpoint';
export * from './inference-component-endpoint';
export * from './inference-component';
export * from './data-quality-monitor';
