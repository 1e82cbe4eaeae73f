/**
 * Service rules of SageMaker Autopilot (AutoML) jobs run as pipeline steps, enforced at synth.
 * Each row cites the documentation sentence it comes from.
 */
export interface AutoMLRule {
  readonly rule: string;
  readonly source: string;
}

/** Training modes an AutoML step accepts. */
export const AUTOML_STEP_MODES: AutoMLRule & { readonly modes: string[] } = {
  rule: 'An AutoML step runs in ENSEMBLING mode only.',
  modes: ['ENSEMBLING'],
  source: 'SageMaker developer guide, Pipelines step types, AutoML step: an AutoML step supports only the ensembling training '
    + 'mode; the SageMaker Python SDK enforces it with "AutoMLStep currently only supports ENSEMBLING mode".',
};

/** Objective metrics and the problem types they apply to. */
export const AUTOML_METRIC_PROBLEM_TYPES: AutoMLRule & { readonly metrics: { [metric: string]: string[] } } = {
  rule: 'The objective metric must fit the problem type.',
  metrics: {
    Accuracy: ['BinaryClassification', 'MulticlassClassification'],
    AUC: ['BinaryClassification'],
    F1: ['BinaryClassification'],
    F1macro: ['MulticlassClassification'],
    MSE: ['Regression'],
  },
  source: 'SageMaker API reference, AutoMLJobObjective.MetricName: F1 and AUC are binary-classification metrics, F1macro '
    + 'multiclass, MSE regression, Accuracy both classification types. The pipeline definition schema lists these five metrics.',
};

/** Input channels of an AutoML job. */
export const AUTOML_CHANNELS: AutoMLRule = {
  rule: 'At most one training and one validation channel; a validation fraction only without a validation channel.',
  source: 'SageMaker API reference, CreateAutoMLJob InputDataConfig: one or two channels (training, and optionally '
    + 'validation); AutoMLDataSplitConfig.ValidationFraction: the share of the training data used for validation, default '
    + '0.2, greater than 0 and less than 1.',
};
