import { describe, expect, it } from 'vitest';
import { currentPath, matchRoute } from '../src/router';

describe('matchRoute', () => {
  it.each([
    ['/', { page: 'upload' }],
    ['/upload/', { page: 'upload' }],
    ['/history', { page: 'history' }],
    ['/history/12', { page: 'ingestion', id: 12 }],
    ['/data', { page: 'data', table: 'employees' }],
    ['/data/jobs', { page: 'data', table: 'jobs' }],
    ['/metrics', { page: 'metrics' }],
    ['/history/abc', { page: 'not-found', path: '/history/abc' }],
    ['/data/users', { page: 'not-found', path: '/data/users' }],
  ])('%s', (path, route) => expect(matchRoute(path)).toEqual(route));
});

describe('currentPath', () => {
  it('is the path below /admin', () => {
    expect(currentPath('/admin')).toBe('/');
    expect(currentPath('/admin/history/3')).toBe('/history/3');
    expect(currentPath('/elsewhere')).toBe('/');
  });
});
