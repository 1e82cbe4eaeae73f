/**
 * Enables SageMaker Projects in the account and Region, and lets the given execution roles use them.
 *
 * The service's flow (SageMaker developer guide, "SageMaker AI Projects"; what the Studio console does):
 * 1. `EnableSagemakerServicecatalogPortfolio` shares SageMaker's Service Catalog portfolio of project
 *    templates with the account ("Amazon SageMaker Solutions and MLOps products"); idempotent.
 * 2. The share is found among the accepted imported shares (`ListAcceptedPortfolioShares`, provider
 *    "Amazon SageMaker"), and accepted again (`AcceptPortfolioShare`, idempotent) in case it is pending.
 * 3. Each execution role is associated with the portfolio (`AssociatePrincipalWithPortfolio`), which is
 *    what lets Studio users of that role list and launch the templates.
 *
 * Update associates added roles and disassociates removed ones. Delete disassociates this resource's
 * roles and leaves the portfolio enabled: enabling is account-wide, other domains, stacks or teams may
 * rely on it, and projects already provisioned from its products stay manageable only while it is.
 */
// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import {
  EnableSagemakerServicecatalogPortfolioCommand,
  GetSagemakerServicecatalogPortfolioStatusCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  AcceptPortfolioShareCommand,
  AssociatePrincipalWithPortfolioCommand,
  DisassociatePrincipalFromPortfolioCommand,
  ListAcceptedPortfolioSharesCommand,
  ServiceCatalogClient,
} from '@aws-sdk/client-service-catalog';
import { errorName, RetryOptions, withRetry } from '../shared/retry';

/** The provider name of SageMaker's shared portfolio. */
export const SAGEMAKER_PORTFOLIO_PROVIDER = 'Amazon SageMaker';

export interface ProjectsEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly [key: string]: unknown };
  readonly OldResourceProperties?: { readonly [key: string]: unknown };
}

export interface ProjectsResult {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly [key: string]: string };
}

export interface ProjectsContext {
  readonly sagemaker: SageMakerClient;
  readonly serviceCatalog: ServiceCatalogClient;
  readonly retry?: RetryOptions;
  /** How often, and how long apart, to look for the portfolio share after enabling it. */
  readonly shareLookup?: { readonly attempts: number; readonly delayMs: number };
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (message: string, details?: { [key: string]: unknown }) => void;
}

export async function onEvent(event: ProjectsEvent, ctx: ProjectsContext): Promise<ProjectsResult> {
  const roles = principalArns(event.ResourceProperties);
  ctx.log?.('onEvent', { requestType: event.RequestType, physicalResourceId: event.PhysicalResourceId, roles });

  if (event.RequestType === 'Delete') {
    const portfolioId = await findPortfolio(ctx, 1);
    if (!portfolioId) {
      ctx.log?.('SageMaker portfolio not found: nothing to disassociate');
    } else {
      for (const role of roles) await disassociate(ctx, portfolioId, role);
    }
    return { PhysicalResourceId: event.PhysicalResourceId! };
  }

  const portfolioId = await enable(ctx);
  const previous = event.RequestType === 'Update' ? principalArns(event.OldResourceProperties ?? {}) : [];
  for (const role of roles) {
    await withRetry(() => ctx.serviceCatalog.send(new AssociatePrincipalWithPortfolioCommand({
      PortfolioId: portfolioId,
      PrincipalARN: role,
      PrincipalType: 'IAM',
    })), ctx.retry);
  }
  for (const role of previous.filter((r) => !roles.includes(r))) await disassociate(ctx, portfolioId, role);
  ctx.log?.('SageMaker Projects enabled', { portfolioId, associated: roles });
  return {
    PhysicalResourceId: event.PhysicalResourceId ?? `sagemaker-projects:${portfolioId}`,
    Data: { PortfolioId: portfolioId },
  };
}

/** Enables the portfolio and returns its ID once the share is visible and accepted. */
async function enable(ctx: ProjectsContext): Promise<string> {
  const status = await withRetry(() => ctx.sagemaker.send(new GetSagemakerServicecatalogPortfolioStatusCommand({})), ctx.retry);
  if (status.Status !== 'Enabled') {
    await withRetry(() => ctx.sagemaker.send(new EnableSagemakerServicecatalogPortfolioCommand({})), ctx.retry);
  }
  const portfolioId = await findPortfolio(ctx, ctx.shareLookup?.attempts ?? 12);
  if (!portfolioId) {
    throw new Error(`SageMaker Projects were enabled, but no accepted portfolio share from '${SAGEMAKER_PORTFOLIO_PROVIDER}' `
      + 'appeared; check the Service Catalog console (Imported portfolios) and retry');
  }
  await withRetry(() => ctx.serviceCatalog.send(new AcceptPortfolioShareCommand({ PortfolioId: portfolioId })), ctx.retry);
  return portfolioId;
}

/** The ID of SageMaker's imported portfolio, looking `attempts` times (the share appears shortly after enabling). */
async function findPortfolio(ctx: ProjectsContext, attempts: number): Promise<string | undefined> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let token: string | undefined;
    do {
      const page = await withRetry(() => ctx.serviceCatalog.send(new ListAcceptedPortfolioSharesCommand({
        PortfolioShareType: 'IMPORTED',
        PageToken: token,
      })), ctx.retry);
      const found = (page.PortfolioDetails ?? []).find((p) => p.ProviderName === SAGEMAKER_PORTFOLIO_PROVIDER);
      if (found?.Id) return found.Id;
      token = page.NextPageToken;
    } while (token);
    if (attempt < attempts) await sleep(ctx.shareLookup?.delayMs ?? 5_000);
  }
  return undefined;
}

async function disassociate(ctx: ProjectsContext, portfolioId: string, role: string): Promise<void> {
  try {
    await withRetry(() => ctx.serviceCatalog.send(new DisassociatePrincipalFromPortfolioCommand({
      PortfolioId: portfolioId,
      PrincipalARN: role,
      PrincipalType: 'IAM',
    })), ctx.retry);
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
  }
}

/** The PrincipalArns property: a list of role ARNs. */
export function principalArns(properties: { readonly [key: string]: unknown }): string[] {
  const value = properties.PrincipalArns;
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new Error(`Property PrincipalArns must be a list of role ARNs, got ${JSON.stringify(value)}`);
  }
  return [...new Set(value as string[])];
}
