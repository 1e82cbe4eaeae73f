import { Json, Res, ReviewModel, StackModel } from './model';

/** A resource an expression points at, with the attribute it reads ('Ref' for `Ref`). */
export interface Target {
  readonly res: Res;
  readonly attr: string;
}

const MAX_DEPTH = 12;

/**
 * Every resource an expression refers to, following `Fn::ImportValue` to the exporting stack,
 * nested-stack outputs into the nested template, and nested-stack parameters back to the parent.
 */
export function refTargets(model: ReviewModel, stack: StackModel, expr: Json, depth = 0): Target[] {
  const out: Target[] = [];
  collectTargets(model, stack, expr, depth, out);
  return out;
}

/** The walk behind {@link refTargets}: pushes into `out`, allocation-light (it runs over whole templates). */
function collectTargets(model: ReviewModel, stack: StackModel, expr: Json, depth: number, out: Target[]): void {
  if (expr === null || typeof expr !== 'object' || depth > MAX_DEPTH) return;
  if (Array.isArray(expr)) {
    for (let i = 0; i < expr.length; i++) {
      const e = expr[i];
      if (e !== null && typeof e === 'object') collectTargets(model, stack, e, depth + 1, out);
    }
    return;
  }
  if ('Ref' in expr && typeof expr.Ref === 'string') {
    refByName(model, stack, expr.Ref, 'Ref', depth, out);
    return;
  }
  if ('Fn::GetAtt' in expr) {
    const arg = expr['Fn::GetAtt'];
    const [id, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
    if (typeof id === 'string') refByName(model, stack, id, String(attr ?? ''), depth, out);
    return;
  }
  if ('Fn::ImportValue' in expr) {
    const exported = importedValue(model, stack, expr['Fn::ImportValue']);
    if (exported) collectTargets(model, exported.stack, exported.value, depth + 1, out);
    return;
  }
  if ('Fn::Sub' in expr) {
    const arg = expr['Fn::Sub'];
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    collectTargets(model, stack, vars, depth + 1, out);
    for (const m of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) {
      const name = m[1];
      if (vars && typeof vars === 'object' && name in vars) continue;
      const [id, attr] = name.split(/\.(.*)/s);
      refByName(model, stack, id, attr ?? 'Ref', depth, out);
    }
    return;
  }
  for (const key in expr) {
    const e = expr[key];
    if (e !== null && typeof e === 'object') collectTargets(model, stack, e, depth + 1, out);
  }
}

function refByName(model: ReviewModel, stack: StackModel, name: string, attr: string, depth: number, out: Target[]): void {
  const res = stack.resources.get(name);
  if (res) {
    if (res.type === 'AWS::CloudFormation::Stack' && attr.startsWith('Outputs.')) {
      const nested = stack.nestedByLogicalId.get(name);
      const value = nested?.template?.Outputs?.[attr.substring('Outputs.'.length)]?.Value;
      if (nested && value !== undefined) {
        collectTargets(model, nested, value, depth + 1, out);
        return;
      }
    }
    out.push({ res, attr });
    return;
  }
  const parentValue = parameterFromParent(stack, name);
  if (parentValue !== undefined && stack.parent) collectTargets(model, stack.parent.stack, parentValue, depth + 1, out);
}

/** The value a parent stack passes to a parameter of a nested stack. */
function parameterFromParent(stack: StackModel, name: string): Json | undefined {
  if (!stack.parent || !(name in (stack.template?.Parameters ?? {}))) return undefined;
  return stack.parent.props?.Parameters?.[name];
}

/** The exported value an `Fn::ImportValue` argument names, when the assembly has it. */
export function importedValue(model: ReviewModel, stack: StackModel, arg: Json) {
  const name = literal(model, stack, arg);
  return name === undefined ? undefined : model.exports.get(name);
}

/** The first resource of one of `types` that an expression refers to. */
export function targetOfType(model: ReviewModel, stack: StackModel, expr: Json, ...types: string[]): Res | undefined {
  return refTargets(model, stack, expr).find((t) => types.includes(t.res.type))?.res;
}

/** The construct path shown for a resource: its L1 path without the trailing `/Resource` or `/Default`. */
export function label(res: Res): string {
  return res.path.replace(/\/(Resource|Default)$/, '');
}

const PSEUDO: { [name: string]: (stack: StackModel) => string } = {
  'AWS::Region': (s) => s.region ?? '${AWS::Region}',
  'AWS::AccountId': (s) => s.account ?? '${AWS::AccountId}',
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (s) => s.name,
  'AWS::StackId': (s) => `\${${s.name}.StackId}`,
  'AWS::NoValue': () => '',
  'AWS::NotificationARNs': () => '${AWS::NotificationARNs}',
};

/** Attributes that name the resource itself, shown as the resource's path alone. */
const IDENTITY_ATTRS = new Set(['Ref', 'Arn', 'GroupId', 'Id', 'KeyId', 'Name', 'RoleId', 'DomainId', 'DomainArn',
  'VpcId', 'SubnetId', 'FileSystemId', 'TopicArn', 'QueueArn', 'QueueUrl', 'TopicName', 'QueueName']);

/**
 * A readable rendering of an expression: literals as they are, resources as `‹path›` (or
 * `‹path›.Attr`), pseudo parameters replaced by the stack's known Region and account.
 */
export function render(model: ReviewModel, stack: StackModel, expr: Json, depth = 0): string {
  if (expr === null || expr === undefined) return '';
  if (typeof expr !== 'object') return String(expr);
  if (depth > MAX_DEPTH) return '…';
  // template objects keep their identity, and the sections render the same ARNs and conditions many times
  const cached = RENDERED.get(expr);
  if (cached && cached.stack === stack) return cached.text;
  const text = renderObject(model, stack, expr, depth);
  RENDERED.set(expr, { stack, text });
  return text;
}

const RENDERED = new WeakMap<object, { readonly stack: StackModel; readonly text: string }>();

function renderObject(model: ReviewModel, stack: StackModel, expr: Json, depth: number): string {
  if (Array.isArray(expr)) return expr.map((e) => render(model, stack, e, depth + 1)).join(', ');
  const keys = Object.keys(expr);
  if (keys.length !== 1) return compactJson(expr);
  const key = keys[0];
  const arg = expr[key];
  switch (key) {
    case 'Ref': {
      const name = String(arg);
      if (PSEUDO[name]) return PSEUDO[name](stack);
      return renderName(model, stack, name, 'Ref', depth);
    }
    case 'Fn::GetAtt': {
      const [id, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
      return renderName(model, stack, String(id), String(attr ?? ''), depth);
    }
    case 'Fn::Join': {
      const [delimiter, parts] = Array.isArray(arg) ? arg : ['', arg];
      if (!Array.isArray(parts)) return `join(${render(model, stack, parts, depth + 1)})`;
      return parts.map((p) => render(model, stack, p, depth + 1)).join(String(delimiter));
    }
    case 'Fn::Select': {
      const [index, list] = Array.isArray(arg) ? arg : [0, arg];
      if (Array.isArray(list) && typeof index === 'number') return render(model, stack, list[index], depth + 1);
      if (list && typeof list === 'object' && 'Fn::GetAZs' in list) return `AZ ${Number(index) + 1}`;
      return `select(${index}, ${render(model, stack, list, depth + 1)})`;
    }
    case 'Fn::GetAZs': return 'the Region\'s AZs';
    case 'Fn::ImportValue': {
      const exported = importedValue(model, stack, arg);
      return exported ? render(model, exported.stack, exported.value, depth + 1) : `import(${render(model, stack, arg, depth + 1)})`;
    }
    case 'Fn::Sub': {
      const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
      return String(text).replace(/\$\{([^!}][^}]*)\}/g, (_m, name: string) => {
        if (vars && typeof vars === 'object' && name in vars) return render(model, stack, vars[name], depth + 1);
        if (PSEUDO[name]) return PSEUDO[name](stack);
        const [id, attr] = name.split(/\.(.*)/s);
        return renderName(model, stack, id, attr ?? 'Ref', depth);
      });
    }
    case 'Fn::If': return Array.isArray(arg) ? `${render(model, stack, arg[1], depth + 1)} | ${render(model, stack, arg[2], depth + 1)}` : '';
    case 'Fn::Split': return `split(${render(model, stack, arg, depth + 1)})`;
    case 'Fn::Base64': return 'base64(…)';
    case 'Fn::FindInMap': return `map(${render(model, stack, arg, depth + 1)})`;
    default: return compactJson(expr);
  }
}

function renderName(model: ReviewModel, stack: StackModel, name: string, attr: string, depth: number): string {
  const res = stack.resources.get(name);
  if (res) {
    if (res.type === 'AWS::CloudFormation::Stack' && attr.startsWith('Outputs.')) {
      const nested = stack.nestedByLogicalId.get(name);
      const value = nested?.template?.Outputs?.[attr.substring('Outputs.'.length)]?.Value;
      if (nested && value !== undefined) return render(model, nested, value, depth + 1);
    }
    return IDENTITY_ATTRS.has(attr) || attr === '' ? `‹${label(res)}›` : `‹${label(res)}›.${attr}`;
  }
  const parentValue = parameterFromParent(stack, name);
  if (parentValue !== undefined && stack.parent) return render(model, stack.parent.stack, parentValue, depth + 1);
  const param = stack.template?.Parameters?.[name];
  if (param) return `\${${name}}`;
  return `\${${name}${attr && attr !== 'Ref' ? `.${attr}` : ''}}`;
}

/** The string an expression stands for when it contains no reference, else undefined. */
export function literal(model: ReviewModel, stack: StackModel, expr: Json): string | undefined {
  if (typeof expr === 'string') return expr;
  if (typeof expr === 'number' || typeof expr === 'boolean') return String(expr);
  if (expr === null || expr === undefined) return undefined;
  const text = render(model, stack, expr);
  return /‹|\$\{/.test(text) ? undefined : text;
}

/** A number from a literal or a numeric string, else undefined. */
export function num(value: Json): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/**
 * An ARN without the parts that are the stack's own: `arn:aws:sagemaker:us-east-1:123456789012:training-job/*`
 * becomes `sagemaker:training-job/*` in a stack of that account and Region.
 */
export function shortArn(stack: StackModel, text: string): string {
  const m = /^arn:aws[a-z-]*:([^:]*):([^:]*):([^:]*):(.*)$/s.exec(text);
  if (!m) return text;
  const [, service, region, account, resource] = m;
  const ownRegion = region === '' || region === stack.region;
  const ownAccount = account === '' || account === stack.account;
  if (ownRegion && ownAccount) return `${service}:${resource}`;
  return `${service}:${region || '-'}:${account || '-'}:${resource}`;
}

/**
 * A JSON document embedded in a template as a string, parsed. References inside it (the parts of an
 * `Fn::Join` or `Fn::Sub`) come back as `{ '@ref': <expression> }` objects when they are a whole
 * JSON string value, and rendered as `‹path›` when they are part of a longer string.
 */
export function embeddedJson(model: ReviewModel, stack: StackModel, expr: Json): Json | undefined {
  const refs: Json[] = [];
  const placeholder = (e: Json) => `@@ref${refs.push(e) - 1}@@`;
  let text: string;
  if (typeof expr === 'string') {
    text = expr;
  } else if (expr && typeof expr === 'object' && Array.isArray(expr['Fn::Join']) && Array.isArray(expr['Fn::Join'][1])) {
    const [delimiter, parts] = expr['Fn::Join'];
    text = parts.map((p: Json) => (typeof p === 'string' ? p : placeholder(p))).join(String(delimiter));
  } else if (expr && typeof expr === 'object' && 'Fn::Sub' in expr) {
    const arg = expr['Fn::Sub'];
    const [template, vars] = Array.isArray(arg) ? arg : [arg, {}];
    text = String(template).replace(/\$\{([^!}][^}]*)\}/g, (_m, name: string) => {
      if (vars && typeof vars === 'object' && name in vars) return placeholder(vars[name]);
      const [id, attr] = name.split(/\.(.*)/s);
      return placeholder(attr ? { 'Fn::GetAtt': [id, attr] } : { Ref: id });
    });
  } else {
    return undefined;
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const restore = (value: Json): Json => {
    if (typeof value === 'string') {
      const whole = /^@@ref(\d+)@@$/.exec(value);
      if (whole) return { '@ref': refs[Number(whole[1])] };
      return value.replace(/@@ref(\d+)@@/g, (_m, i: string) => render(model, stack, refs[Number(i)]));
    }
    if (Array.isArray(value)) return value.map(restore);
    if (value && typeof value === 'object') {
      const out: Json = {};
      for (const [k, v] of Object.entries(value)) out[k] = restore(v);
      return out;
    }
    return value;
  };
  return restore(parsed);
}

/** Undo {@link embeddedJson}'s reference wrapper, for resolving a value of an embedded document. */
export function unwrapRef(value: Json): Json {
  return value && typeof value === 'object' && '@ref' in value ? value['@ref'] : value;
}

function compactJson(value: Json): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.substring(0, 117)}…` : text;
}
