import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';

/** A value read from a CloudFormation template. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** One resource of a synthesized template. */
export interface Res {
  readonly stack: StackModel;
  readonly id: string;
  readonly type: string;
  readonly props: Json;
  readonly raw: Json;
  /** The construct path of the L1 resource, or the logical ID when the tree does not know it. */
  readonly path: string;
}

/** One synthesized template: a stack of the assembly or a nested stack. */
export interface StackModel {
  /** What the report calls the stack: its construct path (`<parent>/<id>` for a nested stack). */
  readonly name: string;
  /** The CloudFormation stack name, when it differs from `name`. */
  readonly stackName?: string;
  /** The stack's construct path. */
  readonly path: string;
  /** The artifact ID in the assembly (empty for a nested stack). */
  readonly artifactId: string;
  readonly templateFile: string;
  readonly template: Json;
  readonly sizeBytes: number;
  readonly region?: string;
  readonly account?: string;
  readonly resources: Map<string, Res>;
  /** The AWS::CloudFormation::Stack resource that deploys this nested stack. */
  readonly parent?: Res;
  /** Names of the stacks this one depends on (assembly dependencies). */
  readonly dependencies: string[];
  /** Nested stacks, by the logical ID of their AWS::CloudFormation::Stack resource in this template. */
  readonly nestedByLogicalId: Map<string, StackModel>;
}

/** What the assembly says of a template, for loading it. */
interface StackInfo {
  readonly name: string;
  readonly stackName?: string;
  readonly artifactId: string;
  readonly path: string;
  readonly region?: string;
  readonly account?: string;
  readonly dependencies: string[];
  /** The directory of the assembly the template is in (nested templates are beside it). */
  readonly directory: string;
  readonly parent?: Res;
}

/** An output exported by a stack (`Fn::ImportValue` resolves to it). */
export interface ExportedValue {
  readonly stack: StackModel;
  readonly value: Json;
}

/** Everything the report reads, loaded once. */
export class ReviewModel {
  public readonly stacks: StackModel[] = [];
  public readonly exports = new Map<string, ExportedValue>();
  /** Every resource, in template order. */
  public readonly resources: Res[] = [];
  private readonly byPath = new Map<string, Res>();
  private treePaths?: Map<string, Map<string, string>>;
  private byType?: Map<string, Res[]>;
  private nestedFiles?: Map<string, string>;

  constructor(public readonly app: Stage, public readonly assembly: cxapi.CloudAssembly) {
    const artifacts = assembly.stacksRecursively;
    const names = new Map(artifacts.map((a) => [a.id, a.hierarchicalId]));
    for (const artifact of artifacts) {
      this.loadStack(artifact.templateFullPath, artifact.template, {
        name: artifact.hierarchicalId,
        stackName: artifact.stackName !== artifact.hierarchicalId ? artifact.stackName : undefined,
        artifactId: artifact.id,
        path: artifact.hierarchicalId,
        region: known(artifact.environment.region, cxapi.UNKNOWN_REGION),
        account: known(artifact.environment.account, cxapi.UNKNOWN_ACCOUNT),
        dependencies: artifact.dependencies.map((d) => names.get(d.id)).filter((n): n is string => n !== undefined),
        directory: path.dirname(artifact.templateFullPath),
      });
    }
  }

  /** The resources of these types, in template order. */
  public ofType(...types: string[]): Res[] {
    if (!this.byType) {
      this.byType = new Map();
      for (const r of this.resources) {
        const list = this.byType.get(r.type);
        if (list) list.push(r);
        else this.byType.set(r.type, [r]);
      }
    }
    if (types.length === 1) return this.byType.get(types[0]) ?? [];
    const wanted = new Set(types);
    return this.resources.filter((r) => wanted.has(r.type));
  }

  /** The resource at a construct path. */
  public atPath(constructPath: string): Res | undefined {
    return this.byPath.get(constructPath);
  }

  private loadStack(file: string, template: Json, info: StackInfo): StackModel {
    const stack: StackModel = {
      name: info.name,
      stackName: info.stackName,
      path: info.path,
      artifactId: info.artifactId,
      templateFile: file,
      template,
      sizeBytes: fileSize(file, template),
      region: info.region,
      account: info.account,
      resources: new Map(),
      parent: info.parent,
      dependencies: info.dependencies,
      nestedByLogicalId: new Map(),
    };
    this.stacks.push(stack);
    const resources: Json = template?.Resources ?? {};
    for (const [id, raw] of Object.entries<Json>(resources)) {
      const metaPath = raw?.Metadata?.[cxapi.PATH_METADATA_KEY];
      const res: Res = {
        stack,
        id,
        type: String(raw?.Type ?? ''),
        props: raw?.Properties ?? {},
        raw,
        path: typeof metaPath === 'string' ? metaPath : this.pathFromTree(stack.path, id) ?? `${stack.path}/${id}`,
      };
      stack.resources.set(id, res);
      this.resources.push(res);
      this.byPath.set(res.path, res);
    }
    for (const [name, output] of Object.entries<Json>(template?.Outputs ?? {})) {
      const exportName = output?.Export?.Name;
      if (typeof exportName === 'string') this.exports.set(exportName, { stack, value: output.Value });
      else if (exportName !== undefined) this.exports.set(`${stack.name}:${name}`, { stack, value: output.Value });
    }
    // nested stacks: their templates are assets of the parent, beside it in the assembly
    for (const res of stack.resources.values()) {
      if (res.type !== 'AWS::CloudFormation::Stack') continue;
      const asset = res.raw?.Metadata?.[cxapi.ASSET_RESOURCE_METADATA_PATH_KEY] ?? this.nestedTemplateFile(res.path);
      if (typeof asset !== 'string') continue;
      const nestedFile = path.join(info.directory, asset);
      if (!fs.existsSync(nestedFile)) continue;
      const nestedPath = res.path.replace(/\.NestedStack\/[^/]+\.NestedStackResource$/, '');
      const nested = this.loadStack(nestedFile, JSON.parse(fs.readFileSync(nestedFile, 'utf-8')), {
        name: `${stack.name}/${nestedPath.split('/').pop()}`,
        artifactId: '',
        path: nestedPath,
        region: stack.region,
        account: stack.account,
        dependencies: [],
        directory: info.directory,
        parent: res,
      });
      stack.nestedByLogicalId.set(res.id, nested);
    }
    return stack;
  }

  /** The template file of the nested stack a parent's AWS::CloudFormation::Stack resource deploys, from the tree. */
  private nestedTemplateFile(resourcePath: string): string | undefined {
    if (!this.nestedFiles) {
      this.nestedFiles = new Map();
      for (const c of this.app.node.findAll()) {
        if (!NestedStack.isNestedStack(c) || !c.nestedStackResource) continue;
        this.nestedFiles.set(c.nestedStackResource.node.path, c.templateFile);
      }
    }
    return this.nestedFiles.get(resourcePath);
  }

  /** Construct path of a logical ID, from the construct tree (templates without path metadata). */
  private pathFromTree(stackPath: string, logicalId: string): string | undefined {
    if (!this.treePaths) {
      this.treePaths = new Map();
      for (const c of this.app.node.findAll()) {
        if (!CfnElement.isCfnElement(c)) continue;
        const stack = Stack.of(c);
        const id = stack.resolve(c.logicalId);
        if (typeof id !== 'string') continue;
        let byId = this.treePaths.get(stack.node.path);
        if (!byId) this.treePaths.set(stack.node.path, byId = new Map());
        byId.set(id, c.node.path);
      }
    }
    return this.treePaths.get(stackPath)?.get(logicalId);
  }
}

function known(value: string, unknown: string): string | undefined {
  return value && value !== unknown && !value.startsWith('${') ? value : undefined;
}

function fileSize(file: string, template: Json): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return Buffer.byteLength(JSON.stringify(template, undefined, 1));
  }
}
