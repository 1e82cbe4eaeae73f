import { awsContext } from './context';
import { isComplete } from './handler';
import { CustomResourceEvent, IsCompleteResult } from './types';

export async function handler(event: CustomResourceEvent): Promise<IsCompleteResult> {
  return isComplete(event, awsContext());
}
