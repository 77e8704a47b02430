import { RespondInquiryBody } from '../../../../engine/wire/index.ts';
import { MAX_JSON_BODY_BYTES } from '../../defaults.ts';
import { INVALID_JSON, invalid, notFound, tooLarge, type ApiOperation } from '../operation.ts';
import { InquiryListSchema, InquiryViewSchema } from '../schemas.ts';

const INQUIRY = {
  id: '01JD5QC1',
  status: 'pending',
  schema: { type: 'object', properties: { approved: { type: 'boolean' } }, required: ['approved'] },
  route: '',
  ttl: 1440,
  roles: [],
  users: [],
  expiresAt: '2026-12-04T02:27:21.000Z',
  createdAt: '2026-12-03T02:27:21.000Z',
  parent: '01JD5Q2Z',
  task: { id: 'approve', route: 0, item: null },
};
const id = { id: { description: 'the inquiry id (its execution id)', example: '01JD5QC1' } };

function respond(method: 'put' | 'post', operationId: string, note: string): ApiOperation {
  return {
    method,
    path: '/v1/inquiries/{id}',
    operationId,
    tag: 'inquiries',
    auth: 'apiKey',
    summary: `Respond to an inquiry${note}`,
    description: 'The response is validated against the inquiry’s schema; the waiting workflow resumes.',
    pathParams: id,
    body: { schema: RespondInquiryBody, example: { response: { approved: true } } },
    responses: { 200: { description: 'the answered inquiry', schema: InquiryViewSchema, example: { ...INQUIRY, status: 'succeeded', response: { approved: true } } } },
    errors: [
      invalid('response', 'body field "response": expected an object of response fields'),
      { status: 400, code: 'inquiry_response_invalid', message: 'response field "approved": expected a boolean', field: 'response.approved' },
      notFound('inquiry 01JD5QC1 not found', 'inquiry_not_found'),
      { status: 409, code: 'inquiry_closed', message: 'inquiry 01JD5QC1 was answered already' },
      INVALID_JSON,
      tooLarge(MAX_JSON_BODY_BYTES),
    ],
  };
}

/** st2's inquiries: `core.ask` executions waiting for a response. */
export const INQUIRY_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/inquiries',
    operationId: 'listInquiries',
    tag: 'inquiries',
    auth: 'apiKey',
    summary: 'List inquiries waiting for a response',
    responses: { 200: { description: 'oldest first', schema: InquiryListSchema, example: { items: [INQUIRY] } } },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/inquiries/{id}',
    operationId: 'getInquiry',
    tag: 'inquiries',
    auth: 'apiKey',
    summary: 'Read an inquiry',
    pathParams: id,
    responses: { 200: { description: 'the inquiry', schema: InquiryViewSchema, example: INQUIRY } },
    errors: [notFound('inquiry 01JD5QC1 not found', 'inquiry_not_found')],
  },
  respond('put', 'respondInquiry', ' (st2’s verb)'),
  respond('post', 'respondInquiryPost', ''),
];
