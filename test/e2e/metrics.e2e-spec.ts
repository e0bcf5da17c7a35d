import {
  EXPECTED_ABOVE_MEAN_2020,
  EXPECTED_ABOVE_MEAN_2021,
  EXPECTED_ABOVE_MEAN_2022,
  EXPECTED_QUARTERS_2021,
  EXPECTED_QUARTERS_2022,
  METRICS_DEPARTMENTS,
  METRICS_EMPLOYEES,
  METRICS_JOBS,
} from '../fixtures/metrics-fixture';
import { TestApp, startTestApp } from '../harness/test-app';
import { get, postJson } from '../harness/http';

describe('metrics', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('on an empty database', () => {
    beforeAll(async () => {
      await app.reset();
    });

    it.each(['/metrics/hiring_by_quarter', '/metrics/departments_above_mean', '/metrics/hiring_by_quarter?year=2021'])(
      'GET %s answers 200 with an empty list',
      async (path) => {
        const res = await get(app.baseUrl, path);
        expect(res.status).toBe(200);
        expect(res.body).toEqual([]);
      },
    );

    it('answers CSV with only the header row', async () => {
      const res = await get(app.baseUrl, '/metrics/departments_above_mean?format=csv');
      expect(res.status).toBe(200);
      expect(res.text).toBe('id,department,hired\n');
      // No year with hires: no year answered, so no mean either.
      expect(res.headers.get('x-metrics-mean')).toBeNull();
    });
  });

  describe('on the hand-computed fixture', () => {
    beforeAll(async () => {
      await app.reset();
      for (const [table, rows] of [
        ['departments', METRICS_DEPARTMENTS],
        ['jobs', METRICS_JOBS],
        ['employees', METRICS_EMPLOYEES],
      ] as const) {
        const res = await postJson(app.baseUrl, `/${table}/batch`, { rows });
        expect(res.status).toBe(201);
      }
    });

    it('counts hires per department and job per quarter of 2021, in the documented order', async () => {
      const res = await get(app.baseUrl, '/metrics/hiring_by_quarter?year=2021');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-metrics-year')).toBe('2021');
      expect(res.body).toEqual(EXPECTED_QUARTERS_2021);
    });

    it('defaults to the most recent year with hires', async () => {
      const quarters = await get(app.baseUrl, '/metrics/hiring_by_quarter');
      expect(quarters.headers.get('x-metrics-year')).toBe('2022');
      expect(quarters.body).toEqual(EXPECTED_QUARTERS_2022);
      const above = await get(app.baseUrl, '/metrics/departments_above_mean');
      expect(above.body).toEqual(EXPECTED_ABOVE_MEAN_2022);
    });

    it('filters by department and by job', async () => {
      const byDepartment = await get(app.baseUrl, '/metrics/hiring_by_quarter?year=2021&department_id=1');
      expect(byDepartment.body).toEqual(EXPECTED_QUARTERS_2021.filter((r) => r.department === 'Engineering'));
      const byJob = await get(app.baseUrl, '/metrics/hiring_by_quarter?year=2021&job_id=3');
      expect(byJob.body).toEqual(EXPECTED_QUARTERS_2021.filter((r) => r.job === 'Manager'));
    });

    it('lists departments above the mean, counting departments without hires as 0', async () => {
      expect((await get(app.baseUrl, '/metrics/departments_above_mean?year=2021')).body).toEqual(EXPECTED_ABOVE_MEAN_2021);
      expect((await get(app.baseUrl, '/metrics/departments_above_mean?year=2020')).body).toEqual(EXPECTED_ABOVE_MEAN_2020);
    });

    it('answers the mean it compared with, and its parts, in X-Metrics-Mean, -Hires and -Departments', async () => {
      const hiresIn = (year: number): number =>
        METRICS_EMPLOYEES.filter((e) => new Date(e.hire_date).getUTCFullYear() === year && e.department_id !== null).length;
      for (const [year, hires] of [[2021, hiresIn(2021)], [2020, hiresIn(2020)], [1999, 0]]) {
        for (const format of ['json', 'csv']) {
          const res = await get(app.baseUrl, `/metrics/departments_above_mean?year=${year}&format=${format}`);
          expect(res.status).toBe(200);
          expect({ year, format, hires: res.headers.get('x-metrics-hires'), departments: res.headers.get('x-metrics-departments') }).toEqual({
            year,
            format,
            hires: String(hires),
            departments: String(METRICS_DEPARTMENTS.length),
          });
          expect(Number(res.headers.get('x-metrics-mean'))).toBeCloseTo(hires / METRICS_DEPARTMENTS.length, 6);
        }
      }
    });

    it('answers an empty list for a year without hires', async () => {
      expect((await get(app.baseUrl, '/metrics/hiring_by_quarter?year=1999')).body).toEqual([]);
      expect((await get(app.baseUrl, '/metrics/departments_above_mean?year=1999')).body).toEqual([]);
    });

    it('answers CSV for Accept: text/csv and for format=csv', async () => {
      const expected =
        'department,job,Q1,Q2,Q3,Q4\n' + EXPECTED_QUARTERS_2021.map((r) => [r.department, r.job, r.Q1, r.Q2, r.Q3, r.Q4].join(',') + '\n').join('');
      const byAccept = await fetch(`${app.baseUrl}/metrics/hiring_by_quarter?year=2021`, { headers: { accept: 'text/csv' } });
      expect(byAccept.status).toBe(200);
      expect(byAccept.headers.get('content-type')).toContain('text/csv');
      expect(await byAccept.text()).toBe(expected);
      const byFormat = await get(app.baseUrl, '/metrics/departments_above_mean?year=2021&format=csv');
      expect(byFormat.text).toBe('id,department,hired\n1,Engineering,5\n2,accounting,3\n4,Ärzte,3\n');
    });
  });

  describe('bad parameters', () => {
    it.each(['abcd', '21', '20210', '2021.5', '-2021', '1899', '2101', ''])('year=%s → 400 problem details', async (year) => {
      for (const path of ['/metrics/hiring_by_quarter', '/metrics/departments_above_mean']) {
        const res = await get(app.baseUrl, `${path}?year=${encodeURIComponent(year)}`);
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body).toMatchObject({ status: 400, type: '/problems/invalid_request' });
        expect(res.body.detail).toMatch(/year/);
      }
    });

    it('rejects an unknown format and a bad department_id', async () => {
      expect((await get(app.baseUrl, '/metrics/hiring_by_quarter?format=xml')).status).toBe(400);
      expect((await get(app.baseUrl, '/metrics/hiring_by_quarter?department_id=abc')).status).toBe(400);
    });
  });
});
