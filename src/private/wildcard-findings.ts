/**
 * Kept for the modules that still import it (platform-team, canvas, the MLflow tracking server):
 * the implementation is `policyWildcardFindings` in nag-detail.ts. New code imports that directly.
 */
export { policyWildcardFindings as wildcardFindings } from './nag-detail';
