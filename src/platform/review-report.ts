import * as fs from 'fs';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PRICES_AS_OF, PRICES_REGION } from '../private/price-table';
import { ReviewContext } from './review/context';
import { costSection, estimateCost } from './review/cost';
import { diagramSection } from './review/diagram';
import { collectStores, encryptionSection, hasCustomerKey } from './review/encryption';
import { findingsSection, registeredRulePacks, RulePack } from './review/findings';
import { inventorySection } from './review/inventory';
import { isolationSection } from './review/isolation';
import { code, plural, usd } from './review/markdown';
import { ReviewModel } from './review/model';
import { networkSection } from './review/network';

/**
 * Options of a {@link ReviewReport}.
 */
export interface ReviewReportOptions {
  /**
   * The report's title.
   *
   * @default 'Deployment review'
   */
  readonly title?: string;

  /**
   * The file name, written in the cloud assembly directory beside the templates.
   *
   * @default 'REVIEW.md'
   */
  readonly fileName?: string;

  /**
   * Rule packs the app ran that the report cannot find on the app's stages (for example packs run by
   * a pipeline step after the synth), by name. They are listed with the packs the report finds.
   *
   * @default - only the validation plugins registered on the app and its stages are listed
   */
  readonly rulePacks?: string[];

  /**
   * Hourly prices in USD by ML instance type (for example `{ 'ml.p5.48xlarge': 55.04 }`), for SageMaker
   * endpoint variants and HyperPod instance groups. They replace the built-in list prices, so they can
   * also carry negotiated rates.
   *
   * @default - the built-in table of approximate us-east-1 list prices; types not in it are reported as
   * "price not in table" and left out of the total
   */
  readonly instanceHourlyPrices?: { [instanceType: string]: number };
}

/**
 * The review report: `REVIEW.md` in the cloud assembly, for the people who approve deployments.
 *
 * It reads the synthesized templates (nested stacks included) and the construct tree of any CDK app,
 * and writes: an inventory per stack against the CloudFormation limits, an encryption map (every data
 * store and the key that encrypts it), the network (subnets, routes, endpoints, security group rules,
 * flow logs, and whether any internet path exists), the isolation model (who may assume each role and
 * what it may do), the findings (the rule packs that ran and every acknowledgment with its reason), an
 * estimated monthly baseline cost with the list prices and their date, and a mermaid diagram.
 *
 * It re-runs no rule pack: it reads what the synth produced, so it adds milliseconds to a synth.
 *
 * @example
 * const assembly = app.synth();
 * ReviewReport.write(app, assembly); // cdk.out/REVIEW.md
 */
export class ReviewReport {
  /**
   * Writes the report of a synthesized app into its cloud assembly directory.
   *
   * @param app the app (or stage) that was synthesized
   * @param assembly what `app.synth()` returned; the app is synthesized (once) when it is not given
   * @param options report options
   * @returns the path of the written file
   */
  public static write(app: Stage, assembly?: cxapi.CloudAssembly, options: ReviewReportOptions = {}): string {
    return new ReviewReport(options).writeFor(app, assembly);
  }

  private readonly options: ReviewReportOptions;

  constructor(options: ReviewReportOptions = {}) {
    this.options = options;
  }

  /**
   * Writes the report into the app's cloud assembly directory.
   *
   * @param app the app (or stage) that was synthesized
   * @param assembly what `app.synth()` returned; the app is synthesized (once) when it is not given
   * @returns the path of the written file
   */
  public writeFor(app: Stage, assembly?: cxapi.CloudAssembly): string {
    const cloudAssembly = assembly ?? app.synth();
    const file = path.join(cloudAssembly.directory, this.options.fileName ?? 'REVIEW.md');
    fs.writeFileSync(file, this.render(app, cloudAssembly));
    return file;
  }

  /**
   * The report's markdown, without writing it.
   *
   * @param app the app (or stage) that was synthesized
   * @param assembly what `app.synth()` returned; the app is synthesized (once) when it is not given
   */
  public render(app: Stage, assembly?: cxapi.CloudAssembly): string {
    const cloudAssembly = assembly ?? app.synth();
    const model = new ReviewModel(app, cloudAssembly);
    const constructs = app.node.findAll();
    const ctx = new ReviewContext(model, constructs);

    const packs: RulePack[] = [
      ...registeredRulePacks(app, constructs),
      ...(this.options.rulePacks ?? []).map((name) => ({ name, scope: 'declared in the report options' })),
    ];
    const stores = collectStores(ctx);
    const network = networkSection(ctx);
    const isolation = isolationSection(ctx);
    const findings = findingsSection(ctx, packs, cloudAssembly.directory);
    const estimate = estimateCost(ctx, this.options.instanceHourlyPrices ?? {});

    const withoutKey = stores.filter((s) => !hasCustomerKey(s));
    const resources = model.stacks.reduce((n, s) => n + s.resources.size, 0);
    const summary = [
      `# ${this.options.title ?? 'Deployment review'}`,
      '',
      `Generated at synth by \`ReviewReport\` (cdk-sagemaker-platform) from the cloud assembly: ${plural(model.stacks.length, 'template')}, `
        + `${plural(resources, 'resource')}. Everything below is read from the synthesized templates and the construct tree; `
        + 'nothing was deployed or looked up.',
      '',
      '| | |',
      '| --- | --- |',
      `| Internet path | ${network.facts.internetPaths.length === 0 ? '✅ none' : `❌ ${plural(network.facts.internetPaths.length, 'path')} (see Network)`} |`,
      `| Data stores without a customer-managed key | ${withoutKey.length === 0 ? '✅ none' : `⚠️ ${withoutKey.length} of ${stores.length}, each with its reason (see Encryption map)`} |`,
      `| Rule packs | ${packs.length === 0 ? '⚠️ none registered' : `${findings.failed ? '❌ failures' : '✅ passed'}: ${packs.map((p) => p.name.replace(/ \(.*$/, '')).join(', ')}`}`
        + `${findings.warnings > 0 ? `, ${plural(findings.warnings, 'warning')}` : ''} |`,
      `| Acknowledged findings | ${ctx.acknowledgments.length} (each with its reason, see Findings) |`,
      `| IAM roles | ${model.ofType('AWS::IAM::Role').length} |`,
      `| Estimated baseline | ${usd(estimate.total)} per month${estimate.unpriced.length > 0 ? ` + ${plural(estimate.unpriced.length, 'item')} not in the price table` : ''} `
        + `(approximate, list prices as of ${PRICES_AS_OF}, ${PRICES_REGION}) |`,
      '',
      'Sections: [1. Inventory](#1-inventory) · [2. Encryption map](#2-encryption-map) · [3. Network](#3-network) · '
        + '[4. Isolation model](#4-isolation-model) · [5. Findings](#5-findings) · '
        + '[6. Estimated monthly baseline cost](#6-estimated-monthly-baseline-cost) · [7. Diagram](#7-diagram)',
      '',
      `Assembly: ${code(cloudAssembly.directory)}`,
      '',
    ].join('\n');

    return [
      summary,
      inventorySection(model),
      encryptionSection(ctx, stores),
      network.text,
      isolation.text,
      findings.text,
      costSection(ctx, estimate),
      diagramSection(ctx, stores),
    ].join('\n');
  }
}
