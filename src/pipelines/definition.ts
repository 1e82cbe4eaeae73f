import { ExecutionVariable } from './execution-variables';
import type { PipelineParameter } from './parameters';
import type { RenderContext } from './private/render';
import type { Step } from './step';
import type { PipelineValue } from './values';

/**
 * The experiment and trial the pipeline records each execution in.
 */
export class PipelineExperimentConfig {
  /**
   * The SageMaker Python SDK's default: an experiment named after the pipeline and a trial per
   * execution. The pipeline role gets the permissions to create them.
   */
  public static pipelineNameAndExecutionId(): PipelineExperimentConfig {
    return new PipelineExperimentConfig(ExecutionVariable.PIPELINE_NAME, ExecutionVariable.PIPELINE_EXECUTION_ID);
  }

  /**
   * An experiment and trial by name.
   *
   * @param experimentName the experiment name
   * @param trialName the trial name
   */
  public static of(experimentName: PipelineValue, trialName: PipelineValue): PipelineExperimentConfig {
    return new PipelineExperimentConfig(experimentName, trialName);
  }

  private constructor(
    /** The experiment name. */
    public readonly experimentName: PipelineValue,
    /** The trial name. */
    public readonly trialName: PipelineValue,
  ) {}
}

/** Properties of a {@link PipelineDefinition}. */
export interface PipelineDefinitionProps {
  /**
   * The steps of the pipeline. Steps in condition branches belong to their condition step and are
   * not listed here.
   */
  readonly steps: Step[];

  /**
   * The parameters of the pipeline. Every parameter a step uses must be listed.
   *
   * @default - no parameters
   */
  readonly parameters?: PipelineParameter[];

  /**
   * The experiment and trial executions are recorded in.
   *
   * @default - none: executions create no experiment or trial (the SageMaker Python SDK's default
   * creates one; use `PipelineExperimentConfig.pipelineNameAndExecutionId()` for that)
   */
  readonly experimentConfig?: PipelineExperimentConfig;
}

/**
 * A SageMaker pipeline definition (version 2020-12-01): parameters and steps, checked and rendered
 * to the JSON the service runs by a {@link Pipeline}.
 *
 * @example
 * const definition = new PipelineDefinition({ parameters: [inputData, threshold], steps: [split, automl, model, check] });
 */
export class PipelineDefinition {
  /** The definition's top-level steps. */
  public readonly steps: Step[];

  /** The definition's parameters. */
  public readonly parameters: PipelineParameter[];

  /** The experiment configuration. */
  public readonly experimentConfig?: PipelineExperimentConfig;

  constructor(props: PipelineDefinitionProps) {
    this.steps = [...props.steps];
    this.parameters = [...(props.parameters ?? [])];
    this.experimentConfig = props.experimentConfig;
  }

  /** Every step of the definition, including condition branches, in definition order. */
  public get allSteps(): Step[] {
    const all: Step[] = [];
    const visit = (s: Step) => {
      all.push(s);
      s._children().forEach(visit);
    };
    this.steps.forEach(visit);
    return all;
  }

  /**
   * Checks the definition and renders it, collecting every problem in `ctx.errors`.
   * @internal
   */
  public _render(ctx: RenderContext): any {
    if (this.steps.length === 0) ctx.error('the definition has no steps');
    const all = this.allSteps;

    // a step object belongs to one place; names are unique
    const seen = new Set<Step>();
    const byName = new Map<string, Step>();
    for (const s of all) {
      s._problems().forEach((e) => ctx.error(e));
      if (seen.has(s)) {
        ctx.error(`step '${s.name}' is used more than once (a step belongs to one place: the definition's steps or one condition branch)`);
        continue;
      }
      seen.add(s);
      const other = byName.get(s.name);
      if (other) ctx.error(`step name '${s.name}' is used by two different steps`);
      else byName.set(s.name, s);
    }

    const declared = new Map<string, PipelineParameter>();
    for (const p of this.parameters) {
      p._declarationProblems().forEach((e) => ctx.error(e));
      if (declared.has(p.name)) ctx.error(`parameter name '${p.name}' is declared twice`);
      declared.set(p.name, p);
    }

    const json: any = {
      Version: '2020-12-01',
      Metadata: {},
      Parameters: this.parameters.map((p) => p._declaration()),
    };
    if (this.experimentConfig) {
      ctx.requirements.experiments = true;
      json.PipelineExperimentConfig = {
        ExperimentName: ctx.str(this.experimentConfig.experimentName, 'experimentConfig.experimentName'),
        TrialName: ctx.str(this.experimentConfig.trialName, 'experimentConfig.trialName'),
      };
      for (const v of [this.experimentConfig.experimentName, this.experimentConfig.trialName]) {
        for (const param of v._references().parameters) {
          if (!declared.has(param.name)) ctx.error(`experimentConfig uses parameter '${param.name}', which is not declared in the definition's parameters`);
        }
        if (v._references().steps.length > 0) ctx.error('experimentConfig cannot refer to step properties');
      }
    }
    json.Steps = [...new Set(this.steps)].map((s) => s._render(ctx));

    // references: every step and parameter a step uses is part of the definition
    for (const [step, refs] of ctx.stepReferences) {
      for (const target of refs.steps) {
        if (!seen.has(target)) ctx.error(`step '${step.name}' refers to step '${target.name}', which is not in the pipeline definition`);
      }
      for (const param of refs.parameters) {
        const decl = declared.get(param.name);
        if (!decl) {
          ctx.error(`step '${step.name}' uses parameter '${param.name}', which is not declared in the definition's parameters`);
        } else if (decl !== param && decl.type !== param.type) {
          ctx.error(`step '${step.name}' uses parameter '${param.name}' as ${param.type}, but it is declared as ${decl.type}`);
        }
      }
    }
    for (const s of all) {
      for (const d of s.dependsOn) {
        if (!seen.has(d)) ctx.error(`step '${s.name}' depends on step '${d.name}', which is not in the pipeline definition`);
        if (d === s) ctx.error(`step '${s.name}' depends on itself`);
      }
    }
    this.checkCycles(ctx, all);
    return json;
  }

  private checkCycles(ctx: RenderContext, all: Step[]): void {
    // edges: a step runs after the steps it refers to or depends on; branch steps run after their condition step
    const edges = new Map<Step, Set<Step>>();
    const add = (from: Step, to: Step) => {
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    };
    for (const s of all) {
      ctx.stepReferences.get(s)?.steps.forEach((t) => t !== s && add(s, t));
      if (ctx.stepReferences.get(s)?.steps.has(s)) ctx.error(`step '${s.name}' refers to its own properties`);
      s.dependsOn.forEach((t) => t !== s && add(s, t));
      s._children().forEach((c) => add(c, s));
    }
    const state = new Map<Step, 'visiting' | 'done'>();
    const reported = new Set<string>();
    const visit = (s: Step, path: Step[]) => {
      state.set(s, 'visiting');
      for (const t of edges.get(s) ?? []) {
        if (state.get(t) === 'visiting') {
          const cycle = [...path.slice(path.indexOf(t)), s, t].map((x) => x.name);
          const key = [...new Set(cycle)].sort().join(',');
          if (!reported.has(key)) {
            reported.add(key);
            ctx.error(`the steps form a cycle: ${cycle.join(' -> ')}`);
          }
        } else if (!state.has(t)) {
          visit(t, [...path, s]);
        }
      }
      state.set(s, 'done');
    };
    for (const s of all) if (!state.has(s)) visit(s, []);
  }
}
