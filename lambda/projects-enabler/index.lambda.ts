// Placeholder: the handler is being written.
export async function handler(event: unknown): Promise<unknown> {
  throw new Error(`not implemented: ${JSON.stringify(event)}`);
}
