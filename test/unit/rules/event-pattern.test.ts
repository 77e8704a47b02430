import { describe, expect, it } from 'vitest';
import { EventPatternError, checkEventPattern, matchEventPattern } from '../../../engine/rules/index.ts';

const event = {
  source: 'acme.deploys',
  'detail-type': 'deploy.finished',
  detail: {
    service: 'billing',
    env: 'prod-eu',
    replicas: 3,
    tags: ['blue', 'canary'],
    owner: null,
    steps: [{ name: 'build', ok: true }, { name: 'ship', ok: false }],
  },
};

describe('matchEventPattern', () => {
  it('matches exact values listed in arrays, on every field of the pattern', () => {
    expect(matchEventPattern({ source: ['acme.deploys'], 'detail-type': ['deploy.finished', 'deploy.started'] }, event)).toBe(true);
    expect(matchEventPattern({ source: ['acme.deploys'], 'detail-type': ['deploy.started'] }, event)).toBe(false);
  });

  it('matches nested objects and fails on a missing field', () => {
    expect(matchEventPattern({ detail: { service: ['billing'] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { region: ['eu'] } }, event)).toBe(false);
  });

  it('distinguishes numbers from strings, and matches null', () => {
    expect(matchEventPattern({ detail: { replicas: [3] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { replicas: ['3'] } }, event)).toBe(false);
    expect(matchEventPattern({ detail: { owner: [null] } }, event)).toBe(true);
  });

  it('matches an event array when any element matches', () => {
    expect(matchEventPattern({ detail: { tags: ['canary'] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { steps: { name: ['ship'] } } }, event)).toBe(true);
  });

  it('supports prefix and suffix, also ignoring case', () => {
    expect(matchEventPattern({ detail: { env: [{ prefix: 'prod' }] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { env: [{ suffix: '-eu' }] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { env: [{ prefix: { 'equals-ignore-case': 'PROD' } }] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { env: [{ prefix: 'dev' }] } }, event)).toBe(false);
    expect(matchEventPattern({ detail: { service: [{ 'equals-ignore-case': 'BILLING' }] } }, event)).toBe(true);
  });

  it('supports anything-but with values, lists and prefixes', () => {
    expect(matchEventPattern({ detail: { service: [{ 'anything-but': 'search' }] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { service: [{ 'anything-but': ['search', 'billing'] }] } }, event)).toBe(false);
    expect(matchEventPattern({ detail: { env: [{ 'anything-but': { prefix: 'prod' } }] } }, event)).toBe(false);
    expect(matchEventPattern({ detail: { missing: [{ 'anything-but': 'x' }] } }, event)).toBe(false);
  });

  it('supports numeric ranges', () => {
    expect(matchEventPattern({ detail: { replicas: [{ numeric: ['>', 0, '<=', 3] }] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { replicas: [{ numeric: ['>=', 4] }] } }, event)).toBe(false);
    expect(matchEventPattern({ detail: { service: [{ numeric: ['>', 0] }] } }, event)).toBe(false);
  });

  it('supports exists true and false', () => {
    expect(matchEventPattern({ detail: { service: [{ exists: true }] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { region: [{ exists: false }] } }, event)).toBe(true);
    expect(matchEventPattern({ detail: { service: [{ exists: false }] } }, event)).toBe(false);
    expect(matchEventPattern({ account: { id: [{ exists: false }] } }, event)).toBe(true);
  });

  it('supports wildcards and $or', () => {
    expect(matchEventPattern({ source: [{ wildcard: 'acme.*' }] }, event)).toBe(true);
    expect(matchEventPattern({ $or: [{ source: ['other'] }, { detail: { env: [{ prefix: 'prod' }] } }] }, event)).toBe(true);
    expect(matchEventPattern({ $or: [{ source: ['other'] }, { detail: { env: ['dev'] } }] }, event)).toBe(false);
  });

  it('rejects a malformed pattern, naming the field', () => {
    // Act
    const act = () => matchEventPattern({ source: 'acme.deploys', detail: { env: [{ cidr: '10.0.0.0/8' }], n: [{ numeric: ['~', 1] }] } }, event);
    // Assess
    expect(act).toThrow(EventPatternError);
    expect(checkEventPattern({ source: 'acme.deploys', detail: { n: [{ numeric: ['~', 1] }], l: [] } }).map((i) => i.path)).toEqual([
      'source',
      'detail.n.0.numeric',
      'detail.l',
    ]);
  });
});

describe('EventBridge wildcard on a hostile value', () => {
  it('answers a many-star wildcard against a long run of its letter at once, with escaped stars literal', () => {
    // Prepare
    const detail = { ref: 'a'.repeat(200_000) };
    // Act
    const miss = matchEventPattern({ detail: { ref: [{ wildcard: '*a*a*a*a*b' }] } }, { detail });
    const escaped = matchEventPattern({ detail: { ref: [{ wildcard: 'v1\\*-*' }] } }, { detail: { ref: 'v1*-rc' } });
    // Assess
    expect(miss).toBe(false);
    expect(escaped).toBe(true);
  });
});
