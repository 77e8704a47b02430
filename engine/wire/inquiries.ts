import { z } from 'zod';

/** `POST|PUT /v1/inquiries/{id}`: the response (st2's PUT body also carries the id, which may be sent). */
export const RespondInquiryBody = z.object({
  id: z.string().optional(),
  response: z.record(z.string(), z.unknown(), { error: 'expected an object of response fields' }),
});
export type RespondInquiryRequest = z.input<typeof RespondInquiryBody>;

/** An inquiry: a pending `core.ask` (or any `inquirer` action) execution and what it asks. */
export interface InquiryView {
  id: string;
  status: string;
  schema: unknown;
  route: string;
  ttl: number;
  roles: unknown[];
  users: unknown[];
  /** When it times out unanswered (null: never). */
  expiresAt: string | null;
  createdAt: string;
  /** The workflow waiting on it, and its task. */
  parent?: string;
  task?: { id: string; route: number; item: number | null };
  /** Once answered: the response. */
  response?: unknown;
}

/** `GET /v1/inquiries`: the inquiries waiting for a response, oldest first. */
export interface InquiryList {
  items: InquiryView[];
}
