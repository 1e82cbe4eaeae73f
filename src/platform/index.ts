// The platform module's public API; see ../../docs/readme/review-report.md
export * from './review-report';
export * from './shared-network';
export * from './platform-team';
export * from './secure-ml-platform';
