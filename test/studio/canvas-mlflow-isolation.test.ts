/**
 * The isolation proof for Canvas and MLflow: the IAM policies two teams' users get (alice on the fraud
 * team, bob on the churn team, carol without Canvas), resolved to concrete ARNs with the Studio isolation
 * test's resolver and evaluated with @cloud-copilot/iam-simulate (AGPL: a test-only devDependency).
 *
 * A user reaches their own team's Canvas workspace prefix and tracking server, and nothing of the other
 * team's; Canvas jobs still meet the domain's job guardrails. Positive controls must be allowed, so a
 * deny-everything policy fails this test.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { SecureBucket } from '../../src/security';
import { Canvas, CanvasFeature, MlflowTrackingServer, StudioDomain } from '../../src/studio';
import { compliantTemplate, testStack } from '../harness';
import { c, Case, Context, Principal, runMatrix, sessionOf, templateResourcePolicies } from '../iam-matrix';
import { studioFixture } from './fixtures';
import { ACCOUNT, CfnTemplate, PARTITION, REGION, TemplateResolver } from './iam-resolver';

type Who = 'alice' | 'bob' | 'carol' | 'alice (human)';

/** The Studio resolver, plus model package groups (whose Ref is their ARN). */
class Resolver extends TemplateResolver {
  constructor(private readonly cfn: CfnTemplate) {
    super(cfn);
  }

  public ref(id: string): string {
    const resource = this.cfn.Resources[id];
    if (resource?.Type === 'AWS::SageMaker::ModelPackageGroup') {
      return `arn:${PARTITION}:sagemaker:${REGION}:${ACCOUNT}:model-package-group/${resource.Properties!.ModelPackageGroupName}`;
    }
    return super.ref(id);
  }
}

// ---------- GIVEN one domain, two teams with their own Canvas workspace and tracking server, carol, and a shared space ----------
const stack = testStack();
const fixture = studioFixture(stack);
const domain = new StudioDomain(stack, 'Studio', { network: fixture.network, storageKey: fixture.storageKey, jobKey: fixture.dataKey });
const analytics = domain.addSharedSpace('analytics');
const alice = domain.addUserProfile('alice', { allowedSharedSpaces: [analytics] });
const bob = domain.addUserProfile('bob');
const carol = domain.addUserProfile('carol', { allowedSharedSpaces: [analytics] });
const data = new SecureBucket(stack, 'Data', { encryptionKey: fixture.dataKey });
const registry = new sagemaker.CfnModelPackageGroup(stack, 'Registry', { modelPackageGroupName: 'employee-retention' });
const fraudCanvas = new Canvas(stack, 'FraudCanvas', {
  domain,
  userProfiles: [alice],
  workspaceBucket: data,
  workspacePrefix: 'canvas/fraud/',
  features: [CanvasFeature.MODEL_REGISTRATION, CanvasFeature.TIME_SERIES_FORECASTING, CanvasFeature.BATCH_PREDICTIONS],
  modelRegistry: registry,
});
new Canvas(stack, 'ChurnCanvas', { domain, userProfiles: [bob], workspaceBucket: data, workspacePrefix: 'canvas/churn/' });
const fraudServer = new MlflowTrackingServer(stack, 'FraudExperiments', { artifactBucket: data, trackingServerName: 'fraud-experiments', network: fixture.network });
const churnServer = new MlflowTrackingServer(stack, 'ChurnExperiments', { artifactBucket: data, trackingServerName: 'churn-experiments' });
const aliceHuman = new iam.Role(stack, 'AliceHuman', { assumedBy: new iam.AccountRootPrincipal() });
fraudServer.grantAccess(alice.role);
fraudServer.grantAccess(aliceHuman);
churnServer.grantAccess(bob.role);

const template = compliantTemplate(stack).toJSON() as CfnTemplate;
const resolver = new Resolver(template);
const value = (token: unknown) => resolver.resolve(stack.resolve(token)) as string;

const sm = (path: string) => `arn:${PARTITION}:sagemaker:${REGION}:${ACCOUNT}:${path}`;
const domainId = value(domain.domainId);
const bucket = value(data.bucketName);
const object = (key: string) => `arn:${PARTITION}:s3:::${bucket}/${key}`;
const bucketArn = `arn:${PARTITION}:s3:::${bucket}`;
const fraudMlflow = value(fraudServer.trackingServerArn);
const churnMlflow = value(churnServer.trackingServerArn);
const forecastRole = value(fraudCanvas.forecastRole!.roleArn);
const profileArn = { alice: value(alice.userProfileArn), bob: value(bob.userProfileArn), carol: value(carol.userProfileArn) };
const subnets = fixture.network.subnetIds.map(value);
const jobSg = value(domain.jobSecurityGroup.securityGroupId);
const jobKey = value(domain.jobGuardrails.volumeKey.keyArn);
const TLS: Context = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };
/** A Canvas build as Canvas starts it in the VPC (no owner tag). */
const BUILD: Context = {
  'sagemaker:VpcSubnets': subnets,
  'sagemaker:VpcSecurityGroupIds': [jobSg],
  'sagemaker:VolumeKmsKeyArn': jobKey,
  'sagemaker:OutputKmsKeyArn': jobKey,
  'sagemaker:InterContainerTrafficEncryption': 'true',
};
const canvasApp = (user: string) => sm(`app/${domainId}/${user}/canvas/default`);
/** An app of a type in a space (SageMaker writes the type in lower case). */
const spaceApp = (spaceName: string, type: string) => sm(`app/${domainId}/${spaceName}/${type}/default`);
const ownPrivate = (owner: 'alice' | 'carol') => ({ 'sagemaker:OwnerUserProfileArn': profileArn[owner], 'sagemaker:SpaceSharingType': 'Private' });
const SHARED: Context = { 'sagemaker:SpaceSharingType': 'Shared' };

const MATRIX: Case<Who>[] = [
  // ---------- positive controls: each team's own Canvas workspace and tracking server ----------
  c('alice', 's3:PutObject', object('canvas/fraud/datasets/transactions.csv'), TLS, 'Allowed', 'her team\'s Canvas workspace'),
  c('alice', 's3:GetObject', object('canvas/fraud/models/model.tar.gz'), TLS, 'Allowed', 'her team\'s Canvas workspace'),
  c('alice', 's3:ListBucket', bucketArn, { ...TLS, 's3:prefix': 'canvas/fraud/datasets/' }, 'Allowed', 'lists her team\'s workspace'),
  c('alice', 'kms:GenerateDataKey', jobKey, { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, 'Allowed', 'the workspace key through S3'),
  c('alice', 'sagemaker:CreateApp', canvasApp('alice'), {}, 'Allowed', 'her own Canvas app'),
  c('alice', 'sagemaker:CreateApp', sm(`app/${domainId}/alice-canvas/canvas/default`),
    { 'sagemaker:OwnerUserProfileArn': profileArn.alice, 'sagemaker:SpaceSharingType': 'Private' }, 'Allowed', 'Canvas in a private space she owns'),
  c('alice', 'sagemaker:CreateAutoMLJobV2', sm('automl-job/canvas1712345678901'), BUILD, 'Allowed', 'a Canvas build within the guardrails'),
  c('alice', 'sagemaker:CreateModelPackage', sm('model-package/employee-retention/3'),
    { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' }, 'Allowed', 'registers in the platform registry, pending approval'),
  c('alice', 'iam:PassRole', forecastRole, { 'iam:PassedToService': 'forecast.amazonaws.com' }, 'Allowed', 'the Forecast role to Forecast'),
  c('alice', 'sagemaker-mlflow:CreateRun', fraudMlflow, {}, 'Allowed', 'her team\'s tracking server'),
  c('alice', 'sagemaker-mlflow:LogMetric', fraudMlflow, {}, 'Allowed', 'her team\'s tracking server'),
  c('alice', 'sagemaker:CreatePresignedMlflowTrackingServerUrl', fraudMlflow, {}, 'Allowed', 'opens her team\'s MLflow UI'),
  c('alice (human)', 'sagemaker:CreatePresignedMlflowTrackingServerUrl', fraudMlflow, {}, 'Allowed', 'the person opens the team\'s MLflow UI'),
  c('bob', 's3:PutObject', object('canvas/churn/datasets/customers.csv'), TLS, 'Allowed', 'his team\'s Canvas workspace'),
  c('bob', 'sagemaker:CreateApp', canvasApp('bob'), {}, 'Allowed', 'his own Canvas app'),
  c('bob', 'sagemaker-mlflow:SearchRuns', churnMlflow, {}, 'Allowed', 'his team\'s tracking server'),

  // ---------- app types: Canvas only through the Canvas construct, the Studio IDEs for everyone ----------
  c('carol', 'sagemaker:CreateApp', spaceApp('carol-private', 'jupyterlab'), ownPrivate('carol'), 'Allowed', 'JupyterLab in her private space'),
  c('carol', 'sagemaker:CreateApp', spaceApp('carol-private', 'codeeditor'), ownPrivate('carol'), 'Allowed', 'Code Editor in her private space'),
  c('carol', 'sagemaker:CreateApp', spaceApp('analytics', 'jupyterlab'), SHARED, 'Allowed', 'JupyterLab in the shared space she is allowed'),
  c('carol', 'sagemaker:CreateApp', spaceApp('analytics', 'codeeditor'), SHARED, 'Allowed', 'Code Editor in the shared space she is allowed'),
  c('carol', 'sagemaker:CreateApp', spaceApp('carol-private', 'canvas'), ownPrivate('carol'), 'ImplicitlyDenied', 'Canvas in her private space: Canvas is not enabled for her'),
  c('carol', 'sagemaker:CreateApp', spaceApp('carol-canvas', 'canvas'), ownPrivate('carol'), 'ImplicitlyDenied', 'Canvas in a new private space of hers: Canvas is not enabled for her'),
  c('carol', 'sagemaker:CreateApp', spaceApp('analytics', 'canvas'), SHARED, 'ImplicitlyDenied', 'Canvas in the shared space she is allowed: Canvas is not enabled for her'),
  c('carol', 'sagemaker:DeleteApp', spaceApp('carol-private', 'canvas'), ownPrivate('carol'), 'ImplicitlyDenied', 'a Canvas app in her private space'),
  c('alice', 'sagemaker:CreateApp', spaceApp('alice-private', 'jupyterlab'), ownPrivate('alice'), 'Allowed', 'a Canvas user keeps JupyterLab in her private space'),
  c('alice', 'sagemaker:CreateApp', spaceApp('analytics', 'codeeditor'), SHARED, 'Allowed', 'a Canvas user keeps Code Editor in the shared space she is allowed'),
  c('alice', 'sagemaker:DeleteApp', spaceApp('alice-canvas', 'canvas'), ownPrivate('alice'), 'Allowed', 'stops Canvas in a private space she owns'),
  c('alice', 'sagemaker:CreateApp', spaceApp('analytics', 'canvas'), SHARED, 'ImplicitlyDenied', 'Canvas in a shared space (the Canvas construct grants her own profile and private spaces only)'),
  c('alice', 'sagemaker:CreateApp', spaceApp('alice-private', 'rstudioserverpro'), ownPrivate('alice'), 'ImplicitlyDenied', 'RStudio in her private space'),

  // ---------- the other team's Canvas workspace ----------
  c('alice', 's3:GetObject', object('canvas/churn/datasets/customers.csv'), TLS, 'ImplicitlyDenied', 'the churn team\'s workspace'),
  c('alice', 's3:PutObject', object('canvas/churn/datasets/poisoned.csv'), TLS, 'ImplicitlyDenied', 'writes into the churn team\'s workspace'),
  c('alice', 's3:DeleteObject', object('canvas/churn/models/model.tar.gz'), TLS, 'ImplicitlyDenied', 'deletes from the churn team\'s workspace'),
  c('alice', 's3:ListBucket', bucketArn, { ...TLS, 's3:prefix': 'canvas/churn/' }, 'ImplicitlyDenied', 'lists the churn team\'s workspace'),
  c('alice', 's3:GetObject', object('canvas/fraud-archive/old.csv'), TLS, 'ImplicitlyDenied', 'a neighbouring prefix that only starts alike'),
  c('bob', 's3:GetObject', object('canvas/fraud/datasets/transactions.csv'), TLS, 'ImplicitlyDenied', 'the fraud team\'s workspace'),
  c('bob', 's3:ListBucket', bucketArn, { ...TLS, 's3:prefix': 'canvas/fraud/' }, 'ImplicitlyDenied', 'lists the fraud team\'s workspace'),
  c('carol', 's3:GetObject', object('canvas/fraud/datasets/transactions.csv'), TLS, 'ImplicitlyDenied', 'no Canvas workspace'),
  c('carol', 'sagemaker:CreateApp', canvasApp('carol'), {}, 'ImplicitlyDenied', 'Canvas is not enabled for her'),

  // ---------- other users' Canvas apps, the registry, the Forecast role, the guardrails ----------
  c('alice', 'sagemaker:CreateApp', canvasApp('bob'), {}, 'ImplicitlyDenied', 'a Canvas app in bob\'s profile'),
  c('alice', 'sagemaker:CreateApp', sm(`app/${domainId}/bob-canvas/canvas/default`),
    { 'sagemaker:OwnerUserProfileArn': profileArn.bob, 'sagemaker:SpaceSharingType': 'Private' }, 'ExplicitlyDenied', 'Canvas in bob\'s private space',
    'DenySpacesAndAppsOfOthers'),
  c('alice', 'sagemaker:CreateAutoMLJobV2', sm('automl-job/canvas1712345678902'), { ...BUILD, 'sagemaker:VpcSecurityGroupIds': ['sg-0fedcba9876543210'] },
    'ExplicitlyDenied', 'a Canvas build outside the platform security groups', 'DenyJobsOutsidePlatformSecurityGroups'),
  c('alice', 'sagemaker:CreateAutoMLJobV2', sm('automl-job/canvas1712345678903'), { ...BUILD, 'sagemaker:OutputKmsKeyArn': `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444444444444` },
    'ExplicitlyDenied', 'a Canvas build with another output key', 'DenyJobsWithoutPlatformOutputKey'),
  c('alice', 'sagemaker:CreateModelPackage', sm('model-package/employee-retention/4'), { 'sagemaker:ModelApprovalStatus': 'Approved' },
    'ImplicitlyDenied', 'approves her own model'),
  c('alice', 'sagemaker:CreateModelPackage', sm('model-package/other-models/1'), { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' },
    'ImplicitlyDenied', 'another model package group'),
  c('bob', 'sagemaker:CreateModelPackage', sm('model-package/employee-retention/5'), { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' },
    'ImplicitlyDenied', 'registration is not enabled for his team'),
  c('bob', 'iam:PassRole', forecastRole, { 'iam:PassedToService': 'forecast.amazonaws.com' }, 'ImplicitlyDenied', 'the fraud team\'s Forecast role'),
  c('alice', 'iam:PassRole', forecastRole, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'ImplicitlyDenied', 'the Forecast role to SageMaker'),

  // ---------- the other team's tracking server ----------
  c('alice', 'sagemaker-mlflow:CreateRun', churnMlflow, {}, 'ImplicitlyDenied', 'the churn team\'s tracking server'),
  c('alice', 'sagemaker-mlflow:GetExperiment', churnMlflow, {}, 'ImplicitlyDenied', 'reads the churn team\'s experiments'),
  c('alice', 'sagemaker-mlflow:DeleteRun', churnMlflow, {}, 'ImplicitlyDenied', 'deletes the churn team\'s runs'),
  c('alice', 'sagemaker:CreatePresignedMlflowTrackingServerUrl', churnMlflow, {}, 'ImplicitlyDenied', 'opens the churn team\'s MLflow UI'),
  c('bob', 'sagemaker-mlflow:SearchRuns', fraudMlflow, {}, 'ImplicitlyDenied', 'the fraud team\'s tracking server'),
  c('bob', 'sagemaker:CreatePresignedMlflowTrackingServerUrl', fraudMlflow, {}, 'ImplicitlyDenied', 'opens the fraud team\'s MLflow UI'),
  c('carol', 'sagemaker-mlflow:GetRun', fraudMlflow, {}, 'ImplicitlyDenied', 'no tracking server granted'),
  c('alice', 'sagemaker:DeleteMlflowTrackingServer', fraudMlflow, {}, 'ImplicitlyDenied', 'administers her team\'s server'),
  c('alice', 'sagemaker:UpdateMlflowTrackingServer', fraudMlflow, {}, 'ImplicitlyDenied', 'administers her team\'s server'),
  c('alice (human)', 'sagemaker:CreatePresignedMlflowTrackingServerUrl', churnMlflow, {}, 'ImplicitlyDenied', 'the person opens the churn team\'s MLflow UI'),
];

const policiesOf = (logicalId: string) => resolver.policiesOf(logicalId);
const principals: { [who in Who]: Principal } = {
  'alice': sessionOf(value(alice.role.roleArn), 'SageMaker', policiesOf),
  'bob': sessionOf(value(bob.role.roleArn), 'SageMaker', policiesOf),
  'carol': sessionOf(value(carol.role.roleArn), 'SageMaker', policiesOf),
  'alice (human)': sessionOf(value(aliceHuman.roleArn), 'alice', policiesOf),
};

describe('Canvas and MLflow isolation between teams, proven with an IAM policy simulator', () => {
  runMatrix(MATRIX, { principals, resourcePolicyOf: templateResourcePolicies(template, resolver) });

  test('a Canvas user\'s role stays within the managed-policy quota per role', () => {
    // 5 Studio policies + 3 Canvas policies + 1 tracking-server access policy (IAM default quota: 10)
    expect(principals.alice.policies.length).toBeLessThanOrEqual(10);
    expect(principals.alice.policies.length).toBe(9);
    expect(principals.carol.policies.length).toBe(5);
  });
});
