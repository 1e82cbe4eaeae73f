import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Collects prop errors of one construct and throws them together, so a user fixes every
 * problem in one round instead of one per synth. Unresolved tokens are skipped: their
 * value is only known at deploy time.
 */
export class PropsValidator {
  /** A validator for a construct that is about to be created as `id` in `scope`. */
  public static forNew(constructName: string, scope: IConstruct, id: string): PropsValidator {
    const parent = scope.node.path;
    return new PropsValidator(constructName, parent ? `${parent}/${id}` : id);
  }

  private readonly errors: string[] = [];

  /**
   * @param constructName the construct class, for the message
   * @param path the construct path (or scope path and id) the props belong to
   */
  constructor(private readonly constructName: string, private readonly path: string) {}

  /** Records `message` when `ok` is false. */
  public check(ok: boolean, message: string): this {
    if (!ok) this.errors.push(message);
    return this;
  }

  /** Records an error without a condition. */
  public error(message: string): this {
    this.errors.push(message);
    return this;
  }

  /** An integer (or any number when `integer` is false) within [min, max]. */
  public range(prop: string, value: number | undefined, min: number, max: number, integer = true): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      this.errors.push(`${prop} must be ${integer ? 'an integer ' : ''}between ${min} and ${max}, got ${value}`);
    }
    return this;
  }

  /** A string matching `pattern` and at most `maxLength` characters. */
  public pattern(prop: string, value: string | undefined, pattern: RegExp, description: string, maxLength?: number): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    if (maxLength !== undefined && value.length > maxLength) {
      this.errors.push(`${prop} must be at most ${maxLength} characters, got ${value.length} ('${truncate(value)}')`);
    } else if (!pattern.test(value)) {
      this.errors.push(`${prop} must be ${description}, got '${truncate(value)}'`);
    }
    return this;
  }

  /** One of the listed values. */
  public oneOf<T>(prop: string, value: T | undefined, allowed: readonly T[]): this {
    if (value === undefined || (typeof value === 'string' && Token.isUnresolved(value))) return this;
    if (!allowed.includes(value)) {
      this.errors.push(`${prop} must be one of ${allowed.join(', ')}, got '${String(value)}'`);
    }
    return this;
  }

  public get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  /** Throws one error listing every problem found, or does nothing. */
  public throwIfInvalid(): void {
    if (this.errors.length === 0) return;
    const lines = this.errors.map((e) => `  - ${e}`).join('\n');
    throw new Error(`${this.constructName} '${this.path}' has invalid props:\n${lines}`);
  }
}

/** True when the value is a literal (not a token) and can be validated at synth. */
export function isLiteral(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return !Token.isUnresolved(value);
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
