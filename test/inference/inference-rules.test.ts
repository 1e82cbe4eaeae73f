import { burstableRule, isGpuInstanceType, MODEL_MONITOR_REGISTRIES, noGuardrailsRule } from '../../src/private/inference-rules';
import { instanceFamily, LOCAL_STORAGE_FAMILIES, LOCAL_STORAGE_KMS_SENTENCE, localStorageRule } from '../../src/private/instance-storage-rules';

describe('inference rules', () => {
  test('reads the family of ML instance types', () => {
    expect(instanceFamily('ml.g5.2xlarge')).toBe('g5');
    expect(instanceFamily('ml.p6-b200.48xlarge')).toBe('p6-b200');
    expect(instanceFamily('m5.xlarge')).toBeUndefined();
  });

  test.each([
    ['ml.m5d.large', true], ['ml.c5d.xlarge', true], ['ml.r5d.2xlarge', true], ['ml.g4dn.xlarge', true], ['ml.g5.2xlarge', true],
    ['ml.g6.xlarge', true], ['ml.g6e.xlarge', true], ['ml.p4d.24xlarge', true], ['ml.p5.48xlarge', true], ['ml.trn1.2xlarge', true],
    ['ml.m5.xlarge', false], ['ml.c5.xlarge', false], ['ml.p3.2xlarge', false], ['ml.inf1.xlarge', false], ['ml.inf2.xlarge', false],
    ['ml.c6i.large', false], ['ml.t2.medium', false],
  ])('%s has local NVMe storage: %s', (type, local) => {
    expect(localStorageRule(type) !== undefined).toBe(local);
  });

  test('every local-storage row cites the CreateEndpointConfig sentence', () => {
    for (const row of LOCAL_STORAGE_FAMILIES) {
      expect(row.source).toContain(LOCAL_STORAGE_KMS_SENTENCE);
      expect(row.source).toContain('Certain Nitro-based instances include local storage');
    }
  });

  test('burstable, guardrail-excluded and GPU families', () => {
    expect(burstableRule('ml.t2.medium')?.family).toBe('t2');
    expect(burstableRule('ml.t3.large')?.family).toBe('t3');
    expect(burstableRule('ml.m5.large')).toBeUndefined();
    expect(noGuardrailsRule('ml.inf1.xlarge')?.source).toMatch(/Inf1/);
    expect(noGuardrailsRule('ml.inf2.xlarge')).toBeUndefined();
    expect(isGpuInstanceType('ml.g5.xlarge')).toBe(true);
    expect(isGpuInstanceType('ml.c5.xlarge')).toBe(false);
  });

  test('knows the Model Monitor image account of us-east-1', () => {
    expect(MODEL_MONITOR_REGISTRIES['us-east-1']).toBe('156813124566');
  });
});
