/**
 * Dispatch of the domain-teardown custom resources by their `Phase` property.
 */
import { afterIsComplete, afterOnEvent } from './after';
import { beforeIsComplete, beforeOnEvent } from './before';
import { CustomResourceEvent, IsCompleteResult, OnEventResult, PHASE_AFTER, PHASE_BEFORE, TeardownContext } from './types';

export async function onEvent(event: CustomResourceEvent, ctx: TeardownContext): Promise<OnEventResult> {
  ctx.log?.('onEvent', { requestType: event.RequestType, physicalResourceId: event.PhysicalResourceId, properties: event.ResourceProperties });
  switch (phase(event)) {
    case PHASE_BEFORE: return beforeOnEvent(event, ctx);
    default: return afterOnEvent(event, ctx);
  }
}

export async function isComplete(event: CustomResourceEvent, ctx: TeardownContext): Promise<IsCompleteResult> {
  switch (phase(event)) {
    case PHASE_BEFORE: return beforeIsComplete(event, ctx);
    default: return afterIsComplete(event, ctx);
  }
}

function phase(event: CustomResourceEvent): string {
  const value = event.ResourceProperties.Phase;
  if (value !== PHASE_BEFORE && value !== PHASE_AFTER) {
    throw new Error(`Property Phase must be ${PHASE_BEFORE} or ${PHASE_AFTER}, got ${JSON.stringify(value)}`);
  }
  return value;
}
