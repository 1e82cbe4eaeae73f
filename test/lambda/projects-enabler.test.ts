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
import { mockClient } from 'aws-sdk-client-mock';
import { onEvent, principalArns, ProjectsContext, ProjectsEvent } from '../../lambda/projects-enabler/handler';
import { handler } from '../../lambda/projects-enabler/index.lambda';

const ALICE = 'arn:aws:iam::123456789012:role/alice-execution-role';
const BOB = 'arn:aws:iam::123456789012:role/bob-execution-role';
const PORTFOLIO = 'port-abcdefghijklm';

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

function context() {
  const sagemaker = new SageMakerClient({ region: 'us-east-1' });
  const serviceCatalog = new ServiceCatalogClient({ region: 'us-east-1' });
  const sleeps: number[] = [];
  const ctx: ProjectsContext = {
    sagemaker,
    serviceCatalog,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async (ms) => { sleeps.push(ms); } },
    shareLookup: { attempts: 3, delayMs: 1_000 },
    sleep: async (ms) => { sleeps.push(ms); },
  };
  return { ctx, sm: mockClient(sagemaker), sc: mockClient(serviceCatalog), sleeps };
}

const shares = {
  PortfolioDetails: [
    { Id: 'port-other', ProviderName: 'Someone else' },
    { Id: PORTFOLIO, ProviderName: 'Amazon SageMaker', DisplayName: 'Amazon SageMaker Solutions and ML Ops products' },
  ],
};

function event(requestType: 'Create' | 'Update' | 'Delete', roles: string[], oldRoles?: string[]): ProjectsEvent {
  return {
    RequestType: requestType,
    PhysicalResourceId: requestType === 'Create' ? undefined : `sagemaker-projects:${PORTFOLIO}`,
    ResourceProperties: { PrincipalArns: roles },
    OldResourceProperties: oldRoles ? { PrincipalArns: oldRoles } : undefined,
  };
}

describe('projects enabler', () => {
  test('Create enables the portfolio, accepts the share and associates every role', async () => {
    const { ctx, sm, sc } = context();
    sm.on(GetSagemakerServicecatalogPortfolioStatusCommand).resolves({ Status: 'Disabled' });
    sm.on(EnableSagemakerServicecatalogPortfolioCommand).resolves({});
    sc.on(ListAcceptedPortfolioSharesCommand).resolves(shares);
    sc.on(AcceptPortfolioShareCommand).resolves({});
    sc.on(AssociatePrincipalWithPortfolioCommand).resolves({});

    const result = await onEvent(event('Create', [ALICE, BOB, ALICE]), ctx);

    expect(result).toEqual({ PhysicalResourceId: `sagemaker-projects:${PORTFOLIO}`, Data: { PortfolioId: PORTFOLIO } });
    expect(sm.commandCalls(EnableSagemakerServicecatalogPortfolioCommand)).toHaveLength(1);
    expect(sc.commandCalls(ListAcceptedPortfolioSharesCommand)[0].args[0].input).toEqual(expect.objectContaining({ PortfolioShareType: 'IMPORTED' }));
    expect(sc.commandCalls(AcceptPortfolioShareCommand)[0].args[0].input).toEqual({ PortfolioId: PORTFOLIO });
    expect(sc.commandCalls(AssociatePrincipalWithPortfolioCommand).map((c) => c.args[0].input)).toEqual([
      { PortfolioId: PORTFOLIO, PrincipalARN: ALICE, PrincipalType: 'IAM' },
      { PortfolioId: PORTFOLIO, PrincipalARN: BOB, PrincipalType: 'IAM' },
    ]);
  });

  test('Create does not enable again when Projects are already enabled', async () => {
    const { ctx, sm, sc } = context();
    sm.on(GetSagemakerServicecatalogPortfolioStatusCommand).resolves({ Status: 'Enabled' });
    sc.on(ListAcceptedPortfolioSharesCommand).resolves(shares);
    sc.on(AcceptPortfolioShareCommand).resolves({});
    await onEvent(event('Create', []), ctx);
    expect(sm.commandCalls(EnableSagemakerServicecatalogPortfolioCommand)).toHaveLength(0);
    expect(sc.commandCalls(AssociatePrincipalWithPortfolioCommand)).toHaveLength(0);
  });

  test('waits for the share to appear after enabling, reading every page', async () => {
    const { ctx, sm, sc, sleeps } = context();
    sm.on(GetSagemakerServicecatalogPortfolioStatusCommand).resolves({ Status: 'Disabled' });
    sm.on(EnableSagemakerServicecatalogPortfolioCommand).resolves({});
    sc.on(ListAcceptedPortfolioSharesCommand)
      .resolvesOnce({ PortfolioDetails: [] })
      .resolvesOnce({ PortfolioDetails: [{ Id: 'port-other', ProviderName: 'Someone else' }], NextPageToken: 'p2' })
      .resolves({ PortfolioDetails: [shares.PortfolioDetails[1]] });
    sc.on(AcceptPortfolioShareCommand).resolves({});
    sc.on(AssociatePrincipalWithPortfolioCommand).resolves({});
    await expect(onEvent(event('Create', [ALICE]), ctx)).resolves.toEqual(expect.objectContaining({ Data: { PortfolioId: PORTFOLIO } }));
    expect(sleeps).toEqual([1_000]);
    expect(sc.commandCalls(ListAcceptedPortfolioSharesCommand)[2].args[0].input.PageToken).toBe('p2');
  });

  test('fails with a clear message when the share never appears', async () => {
    const { ctx, sm, sc } = context();
    sm.on(GetSagemakerServicecatalogPortfolioStatusCommand).resolves({ Status: 'Enabled' });
    sc.on(ListAcceptedPortfolioSharesCommand).resolves({ PortfolioDetails: [] });
    await expect(onEvent(event('Create', [ALICE]), ctx)).rejects.toThrow(/no accepted portfolio share from 'Amazon SageMaker' appeared/);
    expect(sc.commandCalls(ListAcceptedPortfolioSharesCommand)).toHaveLength(3);
  });

  test('retries throttled calls and then succeeds', async () => {
    const { ctx, sm, sc, sleeps } = context();
    sm.on(GetSagemakerServicecatalogPortfolioStatusCommand).rejectsOnce(awsError('ThrottlingException')).resolves({ Status: 'Enabled' });
    sc.on(ListAcceptedPortfolioSharesCommand).resolves(shares);
    sc.on(AcceptPortfolioShareCommand).resolves({});
    sc.on(AssociatePrincipalWithPortfolioCommand).rejectsOnce(awsError('ThrottlingException')).resolves({});
    await onEvent(event('Create', [ALICE]), ctx);
    expect(sc.commandCalls(AssociatePrincipalWithPortfolioCommand)).toHaveLength(2);
    expect(sleeps).toHaveLength(2);
  });

  test('Update associates added roles and disassociates removed ones, keeping the physical ID', async () => {
    const { ctx, sm, sc } = context();
    sm.on(GetSagemakerServicecatalogPortfolioStatusCommand).resolves({ Status: 'Enabled' });
    sc.on(ListAcceptedPortfolioSharesCommand).resolves(shares);
    sc.on(AcceptPortfolioShareCommand).resolves({});
    sc.on(AssociatePrincipalWithPortfolioCommand).resolves({});
    sc.on(DisassociatePrincipalFromPortfolioCommand).resolves({});
    const result = await onEvent(event('Update', [BOB], [ALICE, BOB]), ctx);
    expect(result.PhysicalResourceId).toBe(`sagemaker-projects:${PORTFOLIO}`);
    expect(sc.commandCalls(AssociatePrincipalWithPortfolioCommand).map((c) => c.args[0].input.PrincipalARN)).toEqual([BOB]);
    expect(sc.commandCalls(DisassociatePrincipalFromPortfolioCommand).map((c) => c.args[0].input)).toEqual([
      { PortfolioId: PORTFOLIO, PrincipalARN: ALICE, PrincipalType: 'IAM' },
    ]);
  });

  test('Delete disassociates the roles and leaves Projects enabled', async () => {
    const { ctx, sm, sc } = context();
    sc.on(ListAcceptedPortfolioSharesCommand).resolves(shares);
    sc.on(DisassociatePrincipalFromPortfolioCommand).resolves({});
    await expect(onEvent(event('Delete', [ALICE, BOB]), ctx)).resolves.toEqual({ PhysicalResourceId: `sagemaker-projects:${PORTFOLIO}` });
    expect(sc.commandCalls(DisassociatePrincipalFromPortfolioCommand)).toHaveLength(2);
    expect(sm.calls()).toHaveLength(0);
  });

  test('Delete succeeds when the roles or the portfolio are already gone', async () => {
    const { ctx, sc } = context();
    sc.on(ListAcceptedPortfolioSharesCommand).resolvesOnce(shares).resolves({ PortfolioDetails: [] });
    sc.on(DisassociatePrincipalFromPortfolioCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onEvent(event('Delete', [ALICE]), ctx)).resolves.toBeDefined();
    await expect(onEvent(event('Delete', [ALICE]), ctx)).resolves.toBeDefined();
    expect(sc.commandCalls(DisassociatePrincipalFromPortfolioCommand)).toHaveLength(1);
  });

  test('propagates other failures (partial failure: a role that cannot be associated)', async () => {
    const { ctx, sm, sc } = context();
    sm.on(GetSagemakerServicecatalogPortfolioStatusCommand).resolves({ Status: 'Enabled' });
    sc.on(ListAcceptedPortfolioSharesCommand).resolves(shares);
    sc.on(AcceptPortfolioShareCommand).resolves({});
    sc.on(AssociatePrincipalWithPortfolioCommand, { PrincipalARN: ALICE }).resolves({});
    sc.on(AssociatePrincipalWithPortfolioCommand, { PrincipalARN: BOB }).rejects(awsError('InvalidParametersException', 'principal not found'));
    await expect(onEvent(event('Create', [ALICE, BOB]), ctx)).rejects.toThrow('principal not found');
    sc.on(DisassociatePrincipalFromPortfolioCommand).rejects(awsError('AccessDeniedException', 'denied'));
    await expect(onEvent(event('Delete', [ALICE]), ctx)).rejects.toThrow('denied');
  });

  test('validates the PrincipalArns property', () => {
    expect(principalArns({})).toEqual([]);
    expect(() => principalArns({ PrincipalArns: 'arn:aws:iam::123456789012:role/x' })).toThrow(/PrincipalArns must be a list of role ARNs/);
  });

  test('the Lambda entry wires real clients', async () => {
    const sc = mockClient(ServiceCatalogClient);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      sc.on(ListAcceptedPortfolioSharesCommand).resolves({ PortfolioDetails: [] });
      await expect(handler(event('Delete', [ALICE]))).resolves.toEqual({ PhysicalResourceId: `sagemaker-projects:${PORTFOLIO}` });
    } finally {
      sc.restore();
      log.mockRestore();
    }
  });
});
