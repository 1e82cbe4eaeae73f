// Entry of the scaling-guard custom resource: wires the real client; the logic is in handler.ts.
/* eslint-disable import/no-extraneous-dependencies */
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { onEvent } from './handler';

const autoscaling = new ApplicationAutoScalingClient({});

function log(message: string, details: { [key: string]: unknown } = {}): void {
  console.log(JSON.stringify({ message, ...details }));
}

export async function handler(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  return onEvent(event, { autoscaling, log });
}
