import { IConstruct } from 'constructs';
import { AckRecord, acksByPath, collectAcknowledgments } from './acks';
import { Json, Res, ReviewModel, StackModel } from './model';
import { label, literal, refTargets, render } from './resolve';

/** What the sections share: the model, the acknowledgments, and the key index. */
export class ReviewContext {
  public readonly acknowledgments: AckRecord[];
  private readonly acksAt: Map<string, AckRecord[]>;
  private readonly aliasesOf = new Map<Res, string[]>();
  private usedByIndex?: Map<Res, Array<{ res: Res; attr: string }>>;

  constructor(public readonly model: ReviewModel, public readonly constructs: IConstruct[]) {
    this.acknowledgments = collectAcknowledgments(constructs, model);
    this.acksAt = acksByPath(this.acknowledgments);
    for (const alias of model.ofType('AWS::KMS::Alias')) {
      const key = refTargets(model, alias.stack, alias.props.TargetKeyId).find((t) => t.res.type === 'AWS::KMS::Key')?.res;
      const name = literal(model, alias.stack, alias.props.AliasName);
      if (!key || !name) continue;
      const list = this.aliasesOf.get(key) ?? [];
      list.push(name);
      this.aliasesOf.set(key, list);
    }
  }

  /** The acknowledgments recorded on a resource. */
  public acksOn(res: Res): AckRecord[] {
    return this.acksAt.get(res.path) ?? [];
  }

  /**
   * The resources whose properties refer to `res`, with the attribute they read. IAM policies and
   * security group rules are left out: they name roles and groups in statements and rules, which
   * the report shows where it shows those.
   */
  public usedBy(res: Res): Array<{ res: Res; attr: string }> {
    if (!this.usedByIndex) {
      const index = new Map<Res, Array<{ res: Res; attr: string }>>();
      for (const from of this.model.resources) {
        if (from.type.startsWith('AWS::IAM::') || from.type.startsWith('AWS::EC2::SecurityGroup')) continue;
        const seen = new Set<Res>();
        for (const t of refTargets(this.model, from.stack, from.props)) {
          if (t.res === from || seen.has(t.res)) continue;
          seen.add(t.res);
          const list = index.get(t.res);
          if (list) list.push({ res: from, attr: t.attr });
          else index.set(t.res, [{ res: from, attr: t.attr }]);
        }
      }
      this.usedByIndex = index;
    }
    return this.usedByIndex.get(res) ?? [];
  }

  /** The aliases of a key of the assembly. */
  public aliases(key: Res): string[] {
    return this.aliasesOf.get(key) ?? [];
  }

  /** What an expression that names a KMS key (ID, ARN, alias) designates. */
  public keyRef(stack: StackModel, expr: Json): KeyRef | undefined {
    if (expr === undefined || expr === null || expr === '') return undefined;
    const targets = refTargets(this.model, stack, expr);
    const key = targets.find((t) => t.res.type === 'AWS::KMS::Key')?.res;
    if (key) return { kind: 'cmk', res: key, label: this.keyLabel(key) };
    const alias = targets.find((t) => t.res.type === 'AWS::KMS::Alias')?.res;
    if (alias) {
      const target = refTargets(this.model, alias.stack, alias.props.TargetKeyId).find((t) => t.res.type === 'AWS::KMS::Key')?.res;
      if (target) return { kind: 'cmk', res: target, label: this.keyLabel(target) };
    }
    const text = render(this.model, stack, expr);
    if (/(^|:)alias\/aws\//.test(text)) return { kind: 'aws-managed', label: text.replace(/^.*?(alias\/aws\/)/, '$1') };
    if (targets.length === 0 && /\$\{[^}]+\}/.test(text)) return { kind: 'parameter', label: text };
    if (targets.length > 0) return { kind: 'unknown', label: text };
    return { kind: 'external', label: text };
  }

  /** How a key of the assembly is shown: its path and aliases. */
  public keyLabel(key: Res): string {
    const aliases = this.aliases(key);
    return aliases.length > 0 ? `${label(key)} (${aliases.join(', ')})` : label(key);
  }
}

/** A KMS key as a property designates it. */
export interface KeyRef {
  /**
   * - cmk: a customer-managed key of this assembly;
   * - external: a key by literal ID, ARN or alias, not in these templates (customer-managed unless its alias is `alias/aws/...`);
   * - aws-managed: an `alias/aws/<service>` key;
   * - parameter: a key passed as a template parameter;
   * - unknown: a reference the report cannot follow to a key.
   */
  readonly kind: 'cmk' | 'external' | 'aws-managed' | 'parameter' | 'unknown';
  readonly res?: Res;
  readonly label: string;
}
