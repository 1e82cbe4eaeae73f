import { Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { S3LocationHint, ValueReferences } from './private/references';

/**
 * The run-time type of a value in a pipeline definition.
 */
export enum PipelineValueType {
  /** A string. */
  STRING = 'String',
  /** An integer. */
  INTEGER = 'Integer',
  /** A floating-point number. */
  FLOAT = 'Float',
  /** A boolean. */
  BOOLEAN = 'Boolean',
  /**
   * Known only at run time, such as a `JsonGet` result or a map-valued step property: accepted
   * wherever a value is.
   */
  ANY = 'Any',
}

/**
 * A value in a pipeline definition: a literal, a parameter, an execution variable, a step property
 * or a function of other values (`Join`, `JsonGet`).
 *
 * Literals may contain CDK tokens (for example a bucket name); they are resolved when the
 * definition is synthesized.
 *
 * @example
 * const threshold = new ParameterFloat({ name: 'MinimumF1', defaultValue: 0.8 });
 * const imageUri = PipelineValue.fromString('123456789012.dkr.ecr.us-east-1.amazonaws.com/split:1');
 */
export abstract class PipelineValue {
  /** A string literal (CDK tokens allowed). */
  public static fromString(value: string): PipelineValue {
    return new LiteralValue(value, PipelineValueType.STRING);
  }

  /** An integer literal. */
  public static fromInteger(value: number): PipelineValue {
    if (!Token.isUnresolved(value) && !Number.isInteger(value)) {
      throw new Error(`PipelineValue.fromInteger: expected an integer, got ${value}`);
    }
    return new LiteralValue(value, PipelineValueType.INTEGER);
  }

  /** A floating-point literal. */
  public static fromFloat(value: number): PipelineValue {
    if (!Token.isUnresolved(value) && !Number.isFinite(value)) {
      throw new Error(`PipelineValue.fromFloat: expected a finite number, got ${value}`);
    }
    return new LiteralValue(value, PipelineValueType.FLOAT);
  }

  /** A boolean literal. */
  public static fromBoolean(value: boolean): PipelineValue {
    return new LiteralValue(value, PipelineValueType.BOOLEAN);
  }

  /**
   * The S3 URI `s3://<bucket>/<keyPrefix>`. Unlike a plain string, the pipeline knows the bucket:
   * it grants the step roles access to exactly this prefix, and its own role where it reads
   * step outputs (property files, check results).
   *
   * @param bucket the bucket
   * @param keyPrefix the key or key prefix, without a leading slash
   */
  public static fromS3Location(bucket: s3.IBucket, keyPrefix: string = ''): PipelineValue {
    if (!Token.isUnresolved(keyPrefix) && keyPrefix.startsWith('/')) {
      throw new Error(`PipelineValue.fromS3Location: keyPrefix must not start with '/', got '${keyPrefix}'`);
    }
    const uri = keyPrefix ? `s3://${bucket.bucketName}/${keyPrefix}` : `s3://${bucket.bucketName}`;
    return new LiteralValue(uri, PipelineValueType.STRING, { bucket, keyPrefix });
  }

  /** The run-time type of the value. */
  public abstract readonly type: PipelineValueType;

  /** The value as it appears in the definition (before CDK tokens are resolved). @internal */
  public abstract _toJson(): any;

  /** What the value refers to. @internal */
  public _references(): ValueReferences {
    return { steps: [], parameters: [], s3Locations: [] };
  }

  /** Problems with the value itself (for example a nested function where it is not allowed). @internal */
  public _problems(): string[] {
    return [];
  }

  /** A short description for error messages. */
  public abstract describe(): string;

  /** The literal value, when the value is a literal. @internal */
  public _literal(): any {
    return undefined;
  }

  /** True when the value is a literal (possibly containing CDK tokens). @internal */
  public _isLiteral(): boolean {
    return false;
  }
}

/** A literal value. */
class LiteralValue extends PipelineValue {
  constructor(private readonly value: any, public readonly type: PipelineValueType, private readonly location?: S3LocationHint) {
    super();
  }

  /** @internal */
  public _toJson(): any {
    return this.value;
  }

  /** @internal */
  public _references(): ValueReferences {
    return { steps: [], parameters: [], s3Locations: this.location ? [this.location] : [] };
  }

  public describe(): string {
    return `${this.type} literal ${Token.isUnresolved(this.value) ? '(token)' : JSON.stringify(this.value)}`;
  }

  /** @internal */
  public _literal(): any {
    return this.value;
  }

  /** @internal */
  public _isLiteral(): boolean {
    return true;
  }
}

