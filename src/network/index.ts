export * from './endpoint-service';
export * from './platform-network';
