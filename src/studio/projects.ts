/**
 * `SageMakerProjects`: opt-in enabling of SageMaker Projects for a set of execution roles.
 *
 * For the StudioDomain construct:
 *
 *   const projects = new SageMakerProjects(this, 'Projects', { network, logKey: keys.logs });
 *   projects.addExecutionRole(userRole);   // each role whose Studio users may create projects
 *
 * One custom resource, served by the stack's `SageMakerPlatformProjectsEnablerProvider`. On create it
 * calls `EnableSagemakerServicecatalogPortfolio` (the account-wide switch), finds SageMaker's imported
 * Service Catalog portfolio, accepts the share, and associates every role with it; on update it
 * associates added roles and disassociates removed ones; on delete it disassociates its roles and
 * leaves Projects enabled (account-wide: other domains and already-provisioned projects may rely on it).
 * With a network, it declares the Service Catalog interface endpoint Studio users need to reach the
 * templates from the VPC.
 *
 * Launching the templates also needs the service roles the Studio console creates when Projects are
 * turned on there (`AmazonSageMakerServiceCatalogProductsLaunchRole`, `...UseRole`); this construct does
 * not create them.
 */
import { CustomResource, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { InterfaceEndpointService } from '../network/endpoint-service';
import { IPlatformNetwork } from '../network/platform-network';
import { ProjectsEnablerFunction } from '../private/handlers/projects-enabler-function';
import { PlatformProvider } from '../private/provider';

/**
 * Properties of {@link SageMakerProjects}.
 */
export interface SageMakerProjectsProps {
  /**
   * Execution roles whose users may list and launch the SageMaker project templates. More can be added
   * with `addExecutionRole`.
   *
   * @default - none yet
   */
  readonly executionRoles?: iam.IRole[];

  /**
   * The platform network: the Service Catalog interface endpoint is declared on it.
   *
   * @default - no endpoint is declared
   */
  readonly network?: IPlatformNetwork;

  /**
   * Key of the provider's log group.
   *
   * @default - the stack's shared custom-resource logs key
   */
  readonly logKey?: kms.IKey;
}

/**
 * Enables SageMaker Projects in the account and Region and associates execution roles with the
 * SageMaker project-template portfolio.
 */
export class SageMakerProjects extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;

  /** The ID of SageMaker's Service Catalog portfolio in this account (known at deploy time). */
  public readonly portfolioId: string;

  private readonly roles: iam.IRole[] = [];

  constructor(scope: Construct, id: string, props: SageMakerProjectsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    props.network?.addInterfaceEndpoints(InterfaceEndpointService.SERVICE_CATALOG);

    const provider = PlatformProvider.getOrCreate(this, {
      name: 'ProjectsEnabler',
      onEventHandler: (s, i, o) => new ProjectsEnablerFunction(s, i, o),
      logKey: props.logKey,
    });

    this.resource = provider.createResource(this, 'Resource', {
      properties: {
        PrincipalArns: Lazy.list({ produce: () => this.roles.map((r) => r.roleArn) }, { omitEmpty: false }),
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'EnableProjects',
          // account-level switches and listings without resource-level permissions
          actions: [
            'sagemaker:EnableSagemakerServicecatalogPortfolio',
            'sagemaker:GetSagemakerServicecatalogPortfolioStatus',
            'servicecatalog:ListAcceptedPortfolioShares',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'AssociateRolesWithThePortfolio',
          actions: [
            'servicecatalog:AcceptPortfolioShare',
            'servicecatalog:AssociatePrincipalWithPortfolio',
            'servicecatalog:DisassociatePrincipalFromPortfolio',
          ],
          // the portfolio is SageMaker's (shared from its account); its ID is known only after enabling
          resources: [stack.formatArn({ service: 'catalog', resource: 'portfolio', resourceName: '*', account: '*' })],
        }),
      ],
      wildcardAcknowledgment: 'PROJECTS_ENABLER_WILDCARDS',
    });
    this.portfolioId = this.resource.getAttString('PortfolioId');

    for (const role of props.executionRoles ?? []) this.addExecutionRole(role);
  }

  /** Lets the users of this execution role use SageMaker project templates. */
  public addExecutionRole(role: iam.IRole): void {
    if (!this.roles.includes(role)) this.roles.push(role);
  }
}
