import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FeatureGroup, FeatureType } from '../src';

/**
 * Employee-retention features (the HR attrition use case): one feature group with an encrypted online
 * store for real-time scoring and an Iceberg offline store for training, with an Athena workgroup for
 * offline queries. Feature descriptions document units and encodings.
 *
 * Adding a feature later and redeploying updates the group in place; removing or retyping one is refused
 * by the schema guard before CloudFormation touches the group.
 */
export class EmployeeRetentionFeaturesStack extends Stack {
  /** The feature group. */
  public readonly features: FeatureGroup;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.features = new FeatureGroup(this, 'EmployeeRetention', {
      featureGroupName: 'employee-retention',
      description: 'Employee attrition features for the retention model',
      features: [
        { name: 'employee_id', type: FeatureType.STRING, description: 'HR system employee identifier' },
        { name: 'event_time', type: FeatureType.STRING, description: 'When the snapshot was taken (ISO-8601, UTC)' },
        { name: 'department', type: FeatureType.STRING },
        { name: 'job_level', type: FeatureType.INTEGRAL, description: 'Job level, 1 (entry) to 5 (executive)' },
        { name: 'tenure_years', type: FeatureType.FRACTIONAL, parameters: { unit: 'years' } },
        { name: 'monthly_income', type: FeatureType.FRACTIONAL, parameters: { unit: 'USD' } },
        { name: 'overtime', type: FeatureType.INTEGRAL, description: '1 if the employee worked overtime in the last quarter, else 0' },
        { name: 'satisfaction_score', type: FeatureType.INTEGRAL, description: 'Latest engagement survey, 1 (low) to 4 (very high)' },
        { name: 'last_promotion_years', type: FeatureType.INTEGRAL, parameters: { unit: 'years' } },
        { name: 'attrition', type: FeatureType.INTEGRAL, description: 'Label: 1 if the employee left within 12 months, else 0' },
      ],
      recordIdentifierFeatureName: 'employee_id',
      eventTimeFeatureName: 'event_time',
      // online: latest snapshot per employee for real-time scoring, expired a year after the event
      onlineStore: { ttl: Duration.days(365) },
      // offline: every snapshot, for training; Athena results encrypted with the offline store key
      offlineStore: { queryWorkgroup: true },
    });

    new CfnOutput(this, 'FeatureGroupName', { value: this.features.featureGroupName });
    new CfnOutput(this, 'QueryWorkgroup', { value: this.features.queryWorkgroupName! });
  }
}
