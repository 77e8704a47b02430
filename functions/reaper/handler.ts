/** Placeholder so the CDK compute stack can bundle this entry; the real handler replaces it. */
export const handler = async (): Promise<void> => {};
