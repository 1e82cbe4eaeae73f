// The feature-store module's public API; see ../../docs/readme/feature-store.md
export * from './feature-group';
