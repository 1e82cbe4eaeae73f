import * as crypto from 'crypto';
import { Fn, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { LIFECYCLE_CONTENT_BASE64_MAX } from '../private/studio-rules';
import { PropsValidator } from '../private/validation';
import { JobGuardrailsOptions } from '../security/job-guardrails';

/**
 * A Studio application type (the applications of the current Studio experience).
 */
export enum StudioAppType {
  /** JupyterLab. */
  JUPYTER_LAB = 'JupyterLab',
  /** Code Editor, based on Code-OSS. */
  CODE_EDITOR = 'CodeEditor',
}

/**
 * A Studio lifecycle configuration.
 */
export interface IStudioLifecycleConfig extends IResource {
  /**
   * The ARN of the lifecycle configuration.
   * @attribute
   */
  readonly lifecycleConfigArn: string;

  /**
   * The name of the lifecycle configuration.
   * @attribute
   */
  readonly lifecycleConfigName: string;

  /** The application type the script runs in. */
  readonly appType: StudioAppType;
}

/**
 * Properties of a {@link StudioLifecycleConfig}.
 */
export interface StudioLifecycleConfigProps {
  /**
   * The shell script, as plain text (it is base64-encoded here). It may contain tokens such as
   * subnet IDs or key ARNs; CloudFormation renders them with `Fn::Join` inside `Fn::Base64`.
   * The service accepts at most 16,384 base64 characters, so at most 12,288 bytes of script.
   */
  readonly script: string;

  /** The application type the script runs in. */
  readonly appType: StudioAppType;

  /**
   * The start of the name; a hash of the script and app type follows it, so a changed script
   * creates a new configuration instead of failing (the resource cannot be updated in place).
   * 1-52 letters, digits and hyphens.
   *
   * @default 'lcc'
   */
  readonly namePrefix?: string;
}

/**
 * What the SDK defaults script writes: the platform's job settings.
 */
export interface SdkDefaultsOptions {
  /** The application type the script runs in. */
  readonly appType: StudioAppType;

  /**
   * The job guardrails the defaults follow: their subnets and security groups (VpcConfig of jobs and
   * models), volume key (job and endpoint volumes) and output key (job outputs in S3). Usually
   * `domain.jobGuardrails`.
   */
  readonly guardrails: JobGuardrailsOptions;

  /**
   * The start of the name.
   *
   * @default 'sdk-defaults'
   */
  readonly namePrefix?: string;
}

/** How many base64 characters an unresolved token (an ID or ARN of the platform) is assumed to take. */
const TOKEN_BASE64_ESTIMATE = Math.ceil(128 / 3) * 4;
const HASH_LENGTH = 10;
const NAME_PREFIX_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,51}$/;

/**
 * A Studio lifecycle configuration: a shell script that runs when a JupyterLab or Code Editor app
 * starts. The resource is immutable, so its name carries a hash of the content: changing the script
 * creates a new configuration and re-points the domain to it.
 *
 * Attach it to a domain with `StudioDomain.addLifecycleConfig`.
 *
 * @example
 * const lcc = new StudioLifecycleConfig(this, 'Proxy', {
 *   appType: StudioAppType.JUPYTER_LAB,
 *   script: '#!/bin/bash\nset -eu\npip config set global.index-url https://pypi.example.internal/simple\n',
 * });
 * domain.addLifecycleConfig(lcc);
 */
export class StudioLifecycleConfig extends Resource implements IStudioLifecycleConfig {
  /** Imports a lifecycle configuration by name. */
  public static fromLifecycleConfigName(scope: Construct, id: string, name: string, appType: StudioAppType): IStudioLifecycleConfig {
    class Import extends Resource implements IStudioLifecycleConfig {
      public readonly lifecycleConfigName = name;
      public readonly appType = appType;
      public readonly lifecycleConfigArn = Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'studio-lifecycle-config', resourceName: name });
    }
    return new Import(scope, id);
  }

  /**
   * A script that writes the SageMaker Python SDK defaults (`/etc/xdg/sagemaker/config.yaml`, the
   * SDK's administrator config location) so that training, processing, tuning, transform and AutoML
   * jobs, models and endpoint configurations created from notebooks inherit the platform's
   * subnets, security groups, KMS keys and inter-container traffic encryption. The IAM policies of
   * the user roles enforce the same settings; the defaults make compliant calls the easy ones.
   */
  public static sdkDefaults(scope: Construct, id: string, options: SdkDefaultsOptions): StudioLifecycleConfig {
    return new StudioLifecycleConfig(scope, id, {
      appType: options.appType,
      namePrefix: options.namePrefix ?? 'sdk-defaults',
      script: sdkDefaultsScript(scope, options),
    });
  }

  public readonly lifecycleConfigArn: string;
  public readonly lifecycleConfigName: string;
  public readonly appType: StudioAppType;

  constructor(scope: Construct, id: string, props: StudioLifecycleConfigProps) {
    validateLifecycleProps(scope, id, props);
    const stack = Stack.of(scope);
    const resolved = stack.resolve(props.script);
    const hash = crypto.createHash('sha256')
      .update(JSON.stringify({ appType: props.appType, script: resolved }))
      .digest('hex')
      .slice(0, HASH_LENGTH);
    const name = `${props.namePrefix ?? 'lcc'}-${hash}`;
    super(scope, id, { physicalName: name });

    this.appType = props.appType;
    const resource = new sagemaker.CfnStudioLifecycleConfig(this, 'Resource', {
      studioLifecycleConfigName: name,
      studioLifecycleConfigAppType: props.appType,
      studioLifecycleConfigContent: Token.isUnresolved(props.script)
        ? Fn.base64(props.script)
        : Buffer.from(props.script, 'utf-8').toString('base64'),
    });
    this.lifecycleConfigName = name;
    this.lifecycleConfigArn = resource.attrStudioLifecycleConfigArn;
  }
}

/**
 * The base64 length of a script, counting each unresolved token as an ID or ARN of up to 128
 * characters (the platform's subnet IDs, security group IDs and key ARNs are all shorter).
 */
function estimateBase64Length(scope: Construct, script: string): number {
  if (!Token.isUnresolved(script)) return Buffer.from(script, 'utf-8').toString('base64').length;
  const resolved = Stack.of(scope).resolve(script);
  let literalBytes = 0;
  let tokens = 0;
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      literalBytes += Buffer.byteLength(value, 'utf-8');
    } else if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      const join = (value as { [key: string]: unknown })['Fn::Join'];
      if (Array.isArray(join) && Array.isArray(join[1])) {
        const parts = join[1] as unknown[];
        literalBytes += Buffer.byteLength(String(join[0]), 'utf-8') * Math.max(parts.length - 1, 0);
        parts.forEach(walk);
      } else {
        tokens += 1;
      }
    }
  };
  walk(resolved);
  return Math.ceil(literalBytes / 3) * 4 + tokens * TOKEN_BASE64_ESTIMATE;
}

function validateLifecycleProps(scope: Construct, id: string, props: StudioLifecycleConfigProps): void {
  const v = PropsValidator.forNew('StudioLifecycleConfig', scope, id);
  v.pattern('namePrefix', props.namePrefix, NAME_PREFIX_PATTERN,
    '1-52 letters, digits and hyphens, starting and ending with a letter or digit (a hash follows it)', 52);
  if (!Token.isUnresolved(props.script) && props.script.trim().length === 0) {
    v.error('script must not be empty');
  } else {
    const length = estimateBase64Length(scope, props.script);
    const tokenNote = Token.isUnresolved(props.script) ? ', counting each token as 128 characters' : '';
    v.check(length <= LIFECYCLE_CONTENT_BASE64_MAX,
      `script must be at most ${LIFECYCLE_CONTENT_BASE64_MAX} characters once base64-encoded (about 12,288 bytes of script), `
      + `got ${length}${tokenNote} (${props.script.length} characters of script)`);
  }
  v.throwIfInvalid();
}

/** Builds the SDK defaults script; the JSON document is valid YAML, which the SDK reads. */
function sdkDefaultsScript(scope: Construct, o: SdkDefaultsOptions): string {
  const stack = Stack.of(scope);
  const g = o.guardrails;
  const vpcConfig = {
    Subnets: g.subnets.map((s) => s.subnetId),
    SecurityGroupIds: g.securityGroups.map((sg) => sg.securityGroupId),
  };
  const volumeKey = g.volumeKey.keyArn;
  const outputKey = g.outputKey.keyArn;
  const config = {
    SchemaVersion: '1.0',
    SageMaker: {
      PythonSDK: {
        Modules: {
          RemoteFunction: {
            VpcConfig: vpcConfig,
            VolumeKmsKeyId: volumeKey,
            S3KmsKeyId: outputKey,
            EnableInterContainerTrafficEncryption: true,
          },
        },
      },
      TrainingJob: {
        VpcConfig: vpcConfig,
        EnableInterContainerTrafficEncryption: true,
        OutputDataConfig: { KmsKeyId: outputKey },
        ResourceConfig: { VolumeKmsKeyId: volumeKey },
      },
      ProcessingJob: {
        NetworkConfig: { VpcConfig: vpcConfig, EnableInterContainerTrafficEncryption: true },
        ProcessingOutputConfig: { KmsKeyId: outputKey },
        ProcessingResources: { ClusterConfig: { VolumeKmsKeyId: volumeKey } },
      },
      TransformJob: {
        TransformOutput: { KmsKeyId: outputKey },
        TransformResources: { VolumeKmsKeyId: volumeKey },
      },
      AutoMLJob: {
        AutoMLJobConfig: {
          SecurityConfig: { VpcConfig: vpcConfig, VolumeKmsKeyId: volumeKey, EnableInterContainerTrafficEncryption: true },
        },
        OutputDataConfig: { KmsKeyId: outputKey },
      },
      Model: { VpcConfig: vpcConfig },
      EndpointConfig: {
        KmsKeyId: volumeKey,
        DataCaptureConfig: { KmsKeyId: outputKey },
        AsyncInferenceConfig: { OutputConfig: { KmsKeyId: outputKey } },
      },
    },
  };
  const json = stack.toJsonString(config);
  // a failed lifecycle script fails the app start: the script never fails, it falls back to the
  // user config and, at worst, warns (the IAM guardrails enforce the settings either way)
  return [
    '#!/bin/bash',
    '# Writes the SageMaker Python SDK defaults of the platform (subnets, security groups, KMS keys,',
    '# inter-container traffic encryption) so that jobs started from notebooks comply by default.',
    'set -u',
    'TMP="$(mktemp)"',
    "cat > \"$TMP\" <<'SAGEMAKER_CONFIG'",
    `${json}`,
    'SAGEMAKER_CONFIG',
    'ADMIN_DIR=/etc/xdg/sagemaker',
    'USER_DIR="${HOME:-/home/sagemaker-user}/.config/sagemaker"',
    'if [ "$(id -u)" -eq 0 ]; then AS_ROOT=""; elif sudo -n true 2>/dev/null; then AS_ROOT="sudo -n"; else AS_ROOT=none; fi',
    'if [ "$AS_ROOT" != none ] && $AS_ROOT mkdir -p "$ADMIN_DIR" && $AS_ROOT install -m 0644 "$TMP" "$ADMIN_DIR/config.yaml"; then',
    '  echo "SageMaker SDK defaults written to $ADMIN_DIR/config.yaml"',
    'elif mkdir -p "$USER_DIR" && install -m 0644 "$TMP" "$USER_DIR/config.yaml"; then',
    '  echo "SageMaker SDK defaults written to $USER_DIR/config.yaml"',
    'else',
    '  echo "WARNING: could not write the SageMaker SDK defaults; pass subnets, security groups and KMS keys explicitly" >&2',
    'fi',
    'rm -f "$TMP"',
    'exit 0',
    '',
  ].join('\n');
}
