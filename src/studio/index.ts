// The studio module's public API; see ../../docs/readme/studio.md
export * from './studio-domain';
export * from './space';
export * from './lifecycle-config';
export * from './user-profile';
export * from './canvas';
export * from './mlflow-tracking-server';
export * from './domain-teardown';
export * from './projects';
