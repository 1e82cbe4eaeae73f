import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { amendedSchema, EXTENDED_SCHEMA_FILE, PUBLISHED_SCHEMA_FILE, validateDefinition } from './util';

const SHARED = path.join(__dirname, '..', '..', '..', 'shared', 'schemas');

describe('pipeline definition schemas', () => {
  test('the fixtures are exact copies of ../shared/schemas when that folder exists', () => {
    if (!fs.existsSync(SHARED)) return; // a fresh clone has no ../shared: the fixtures stand alone
    for (const [fixture, name] of [[EXTENDED_SCHEMA_FILE, 'pipeline-definition.extended.schema.json'], [PUBLISHED_SCHEMA_FILE, 'pipeline-definition.schema.json']]) {
      expect(fs.readFileSync(fixture, 'utf-8')).toEqual(fs.readFileSync(path.join(SHARED, name), 'utf-8'));
    }
  });

  test('the amendments change only the documented definitions', () => {
    const original = JSON.parse(fs.readFileSync(EXTENDED_SCHEMA_FILE, 'utf-8'));
    const amended = amendedSchema();
    const changed = Object.keys(amended.definitions)
      .filter((k) => JSON.stringify(amended.definitions[k]) !== JSON.stringify(original.definitions[k]));
    expect(changed.sort()).toEqual([
      'ConditionStep', 'EMRStep', 'InCondition', 'JoinFunction', 'NotCondition', 'OrCondition', 'ProcessingStep', 'RegisterModelStep', 'RetryPolicy',
    ]);
    expect(amended.properties).toEqual(original.properties);
  });

  test('the shared extended schema rejects every Std:Join (the reason for amendment 1)', () => {
    const strict = new Ajv({ strict: false }).compile(JSON.parse(fs.readFileSync(EXTENDED_SCHEMA_FILE, 'utf-8')));
    const withJoin = { Version: '2020-12-01', Steps: [{ Name: 'F', Type: 'Fail', Arguments: { ErrorMessage: { 'Std:Join': { On: '', Values: ['a'] } } } }] };
    expect(strict(withJoin)).toBe(false);
    expect(() => validateDefinition(withJoin)).not.toThrow();
  });

  test('the amended schema still rejects what the service rejects', () => {
    expect(() => validateDefinition({ Version: '2020-12-01', Steps: [{ Name: 'bad name', Type: 'Fail', Arguments: {} }] })).toThrow(/does not validate/);
    expect(() => validateDefinition({ Version: '2020-12-01', Steps: [{ Name: 'A', Type: 'AutoML', Arguments: { AutoMLJobConfig: { Mode: 'HYPERPARAMETER_TUNING' } } }] }))
      .toThrow(/does not validate/);
  });
});
