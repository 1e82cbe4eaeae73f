import { DomainDockerDisabled } from './domain-docker-disabled';
import { DomainIdleShutdown } from './domain-idle-shutdown';
import { DomainKms } from './domain-kms';
import { DomainSharingEncrypted } from './domain-sharing-encrypted';
import { DomainUserIdentityInCloudTrail } from './domain-user-identity';
import { DomainVpcOnly } from './domain-vpc-only';
import { EndpointAutoscaling } from './endpoint-autoscaling';
import { EndpointConfigKms } from './endpoint-config-kms';
import { EndpointDataCaptureKms } from './endpoint-data-capture-kms';
import { EndpointRollbackAlarms } from './endpoint-rollback-alarms';
import { FeatureGroupOfflineStoreKms } from './feature-group-offline-kms';
import { FeatureGroupOnlineStoreKms } from './feature-group-online-kms';
import { HyperPodClusterInVpc } from './hyperpod-in-vpc';
import { HyperPodNodeRecovery } from './hyperpod-node-recovery';
import { InterfaceEndpointPrivateDns } from './interface-endpoint-private-dns';
import { ModelInVpc } from './model-in-vpc';
import { ModelNetworkIsolation } from './model-network-isolation';
import { MonitoringJobInVpc } from './monitoring-job-in-vpc';
import { MonitoringJobKms } from './monitoring-job-kms';
import { NoSageMakerFullAccess } from './no-sagemaker-full-access';
import { NoSageMakerWildcard } from './no-sagemaker-wildcard';
import { PipelineJobStepsEncrypted } from './pipeline-steps-encrypted';
import { PipelineJobStepsInVpc } from './pipeline-steps-in-vpc';
import { PlatformRule } from './rule';
import { S3GatewayEndpointPolicy } from './s3-gateway-endpoint-policy';
import { UserProfileOwnRole } from './user-profile-own-role';
import { UserProfileOwnSecurityGroup } from './user-profile-own-security-group';

/** Every rule of the SageMakerPlatform pack, in the order they are reported. */
export const PLATFORM_RULES: readonly PlatformRule[] = [
  DomainVpcOnly,
  DomainKms,
  DomainUserIdentityInCloudTrail,
  DomainIdleShutdown,
  DomainDockerDisabled,
  DomainSharingEncrypted,
  UserProfileOwnRole,
  UserProfileOwnSecurityGroup,
  FeatureGroupOnlineStoreKms,
  FeatureGroupOfflineStoreKms,
  PipelineJobStepsInVpc,
  PipelineJobStepsEncrypted,
  ModelNetworkIsolation,
  ModelInVpc,
  EndpointConfigKms,
  EndpointDataCaptureKms,
  EndpointAutoscaling,
  EndpointRollbackAlarms,
  HyperPodClusterInVpc,
  HyperPodNodeRecovery,
  MonitoringJobInVpc,
  MonitoringJobKms,
  NoSageMakerFullAccess,
  NoSageMakerWildcard,
  InterfaceEndpointPrivateDns,
  S3GatewayEndpointPolicy,
];
