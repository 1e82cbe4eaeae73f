import {
  hasLocalInstanceStorage, isLocalStoragePattern, LOCAL_STORAGE_FAMILIES, LOCAL_STORAGE_KMS_SENTENCE, LOCAL_STORAGE_VOLUME_KMS_SENTENCE,
  localStorageRule,
} from '../../src/private/instance-storage-rules';

describe('instance storage rules', () => {
  test('one row per family, each citing the endpoint and the job sentence and naming its EC2 family', () => {
    const families = LOCAL_STORAGE_FAMILIES.map((r) => r.family);
    expect(new Set(families).size).toBe(families.length);
    for (const row of LOCAL_STORAGE_FAMILIES) {
      expect(row.source).toContain(LOCAL_STORAGE_KMS_SENTENCE);
      expect(row.source).toContain(LOCAL_STORAGE_VOLUME_KMS_SENTENCE);
      expect(row.source.toLowerCase()).toContain(`${row.family} instances include nvme ssd instance store volumes`);
    }
  });

  test.each([
    ['ml.g5.2xlarge', true], ['ml.p4d.24xlarge', true], ['ml.m6id.large', true], ['ml.gr6.4xlarge', true], ['ml.g7e.2xlarge', true],
    ['ml.p6e-gb200.36xlarge', true], ['ml.m5.xlarge', false], ['ml.p3.2xlarge', false], ['ml.g5', false], ['g5.xlarge', false],
  ])('%s has local NVMe storage: %s', (type, local) => {
    expect(hasLocalInstanceStorage(type)).toBe(local);
    expect(localStorageRule(type) !== undefined).toBe(local);
  });

  test.each([
    ['ml.g5.*', true], ['ml.g5.12xlarge', true], ['ml.p6-b200.*', true], ['ml.*', false], ['ml.m5.*', false], ['ml.g5*', false],
  ])('the allowlist pattern %s matches only types with local NVMe storage: %s', (pattern, local) => {
    expect(isLocalStoragePattern(pattern)).toBe(local);
  });
});
