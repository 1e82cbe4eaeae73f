import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { cfnProperties, get, PlatformRule, present, verdict } from './rule';

/** The Model Monitor job definition types and where their settings live. */
export const MONITORING_JOB_TYPES: { readonly [type: string]: string } = {
  'AWS::SageMaker::DataQualityJobDefinition': 'DataQualityJobOutputConfig',
  'AWS::SageMaker::ModelQualityJobDefinition': 'ModelQualityJobOutputConfig',
  'AWS::SageMaker::ModelBiasJobDefinition': 'ModelBiasJobOutputConfig',
  'AWS::SageMaker::ModelExplainabilityJobDefinition': 'ModelExplainabilityJobOutputConfig',
};

/** The network settings of a monitoring job, wherever the resource type keeps them. */
export function monitoringJob(node: CfnResource): { network: any; resources: any; output: any } | undefined {
  if (node.cfnResourceType in MONITORING_JOB_TYPES) {
    const p = cfnProperties(node);
    return { network: p.NetworkConfig, resources: p.JobResources, output: p[MONITORING_JOB_TYPES[node.cfnResourceType]] };
  }
  if (node.cfnResourceType === 'AWS::SageMaker::MonitoringSchedule') {
    const job = get(cfnProperties(node), 'MonitoringScheduleConfig.MonitoringJobDefinition');
    if (!job) return undefined; // refers to a job definition, which is checked on its own
    return { network: job.NetworkConfig, resources: job.MonitoringResources, output: job.MonitoringOutputConfig };
  }
  return undefined;
}

/** Model Monitor jobs run in the VPC with network isolation. */
export const MonitoringJobInVpc: PlatformRule = {
  name: 'MonitoringJobInVpc',
  info: 'The Model Monitor job does not run in a VPC with network isolation.',
  explanation: 'Monitoring jobs read captured inference data; without NetworkConfig.VpcConfig and EnableNetworkIsolation '
    + 'their containers can reach the internet.',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource): NagRuleCompliance {
    const job = monitoringJob(node);
    if (!job) return NagRuleCompliance.NOT_APPLICABLE;
    return verdict(present(get(job.network, 'VpcConfig.Subnets')) && (job.network?.EnableNetworkIsolation === true));
  },
};
