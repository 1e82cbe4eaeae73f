import { awsContext } from './context';
import { onEvent } from './handler';
import { CustomResourceEvent, OnEventResult } from './types';

export async function handler(event: CustomResourceEvent): Promise<OnEventResult> {
  return onEvent(event, awsContext());
}
