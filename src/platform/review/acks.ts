import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Json, ReviewModel } from './model';

/** One acknowledged finding on one construct. */
export interface AckRecord {
  /** The construct path the acknowledgment is recorded on. */
  readonly path: string;
  /** The finding ID, without the plugin namespace (`AwsSolutions-IAM5[Action::s3:*]`). */
  readonly id: string;
  /** The namespace the acknowledgment was recorded under, when any (`AwsSolutions`). */
  readonly namespace?: string;
  readonly reason: string;
  /** How it was recorded. */
  readonly mechanism: 'Validations.acknowledge' | 'cdk-nag metadata';
}

/**
 * Every acknowledgment of the app: `Validations.acknowledge` metadata in the construct tree
 * (`aws:cdk:acknowledged-rules`), and cdk-nag v2 style `cdk_nag.rules_to_suppress` template metadata
 * of resources that carry no such acknowledgment.
 */
export function collectAcknowledgments(constructs: IConstruct[], model: ReviewModel): AckRecord[] {
  const records: AckRecord[] = [];
  const seen = new Set<string>();
  for (const c of constructs) {
    const metadata = c.node.metadata;
    if (metadata.length === 0) continue;
    for (const entry of metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [qualifiedId, reason] of Object.entries<Json>(entry.data ?? {})) {
        const m = /^([^:]+)::(.*)$/s.exec(qualifiedId);
        const record: AckRecord = {
          path: c.node.path,
          id: m ? m[2] : qualifiedId,
          namespace: m ? m[1] : undefined,
          reason: String(reason ?? ''),
          mechanism: 'Validations.acknowledge',
        };
        const key = `${record.path}\u0000${record.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        records.push(record);
      }
    }
  }
  for (const res of model.resources) {
    const rules = res.raw?.Metadata?.cdk_nag?.rules_to_suppress;
    if (!Array.isArray(rules)) continue;
    for (const rule of rules) {
      const appliesTo: Json[] = Array.isArray(rule?.applies_to) ? rule.applies_to : [];
      const ids = appliesTo.length > 0
        ? appliesTo.map((a) => `${rule.id}[${typeof a === 'string' ? a : JSON.stringify(a)}]`)
        : [String(rule?.id)];
      for (const id of ids) {
        const key = `${res.path}\u0000${id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        records.push({ path: res.path, id, reason: String(rule?.reason ?? ''), mechanism: 'cdk-nag metadata' });
      }
    }
  }
  return records;
}

/** Acknowledgments by the construct path they are on. */
export function acksByPath(records: AckRecord[]): Map<string, AckRecord[]> {
  const map = new Map<string, AckRecord[]>();
  for (const r of records) {
    const list = map.get(r.path);
    if (list) list.push(r);
    else map.set(r.path, [r]);
  }
  return map;
}
