import { describe, expect, it } from 'vitest';
import { NotYetCreated, UnsupportedIntrinsic, resolveValue, type ResolveContext } from '../../../infra/local/index.ts';

const ctx: ResolveContext = {
  resources: new Map([['Queue1', { ref: 'http://127.0.0.1:4566/queue/q', attributes: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q' } }]]),
  pseudo: { 'AWS::AccountId': '000000000000', 'AWS::Region': 'us-east-1' },
};

describe('resolveValue', () => {
  it('resolves Ref, Fn::GetAtt, Fn::Join and Fn::Sub inside nested properties', () => {
    const value = {
      Url: { Ref: 'Queue1' },
      Redrive: { deadLetterTargetArn: { 'Fn::GetAtt': ['Queue1', 'Arn'] }, maxReceiveCount: 5 },
      Name: { 'Fn::Join': ['-', ['attune', { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }]] },
      Sub: { 'Fn::Sub': 'arn:${AWS::Region}:${Queue1.Arn}' },
      List: [{ Ref: 'Queue1' }, 'plain'],
    };
    expect(resolveValue(value, ctx)).toEqual({
      Url: 'http://127.0.0.1:4566/queue/q',
      Redrive: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:q', maxReceiveCount: 5 },
      Name: 'attune-000000000000-us-east-1',
      Sub: 'arn:us-east-1:arn:aws:sqs:us-east-1:000000000000:q',
      List: ['http://127.0.0.1:4566/queue/q', 'plain'],
    });
  });

  it('signals a reference to a resource not created yet, naming it', () => {
    expect(() => resolveValue({ Ref: 'Later' }, ctx)).toThrow(NotYetCreated);
    expect(() => resolveValue({ Ref: 'Later' }, ctx)).toThrow(/Later/);
  });

  it('rejects intrinsics it cannot evaluate, by name', () => {
    expect(() => resolveValue({ 'Fn::ImportValue': 'x' }, ctx)).toThrow(UnsupportedIntrinsic);
    expect(() => resolveValue({ 'Fn::ImportValue': 'x' }, ctx)).toThrow(/Fn::ImportValue/);
    expect(() => resolveValue({ Ref: 'AWS::NotificationARNs' }, ctx)).toThrow(/AWS::NotificationARNs/);
  });
});
