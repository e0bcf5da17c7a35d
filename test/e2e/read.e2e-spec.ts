import { TestApp, startTestApp } from '../harness/test-app';
import { get } from '../harness/http';
import { DataSnapshot, EmployeeRow, expectProblem, seed } from '../harness/ingest-helpers';

const DATA: DataSnapshot = {
  // Inserted out of id order on purpose: pages are ordered by id.
  departments: [
    { id: 5, name: 'Legal' },
    { id: 1, name: 'Sales' },
    { id: 3, name: 'Support' },
    { id: 2, name: 'Engineering' },
    { id: 4, name: '東京' },
  ],
  jobs: [
    { id: 3, title: 'Analyst' },
    { id: 1, title: 'Manager' },
    { id: 2, title: 'Developer' },
  ],
  employees: [
    { id: 1, name: 'Ada', hire_date: '2021-01-01T00:00:00.000Z', department_id: 1, job_id: 1 },
    { id: 2, name: 'Bob', hire_date: '2021-06-15T12:00:00.000Z', department_id: 1, job_id: 2 },
    { id: 3, name: 'Cy', hire_date: '2021-12-31T23:59:59.999Z', department_id: 2, job_id: 1 },
    { id: 4, name: 'Di', hire_date: '2022-01-01T00:00:00.000Z', department_id: 2, job_id: 2 },
    { id: 5, name: 'Ed', hire_date: '2020-12-31T23:59:59.999Z', department_id: 3, job_id: 3 },
    { id: 6, name: 'Flo', hire_date: '2021-06-15T12:00:00.001Z', department_id: 1, job_id: 1 },
  ],
};

const byId = <T extends { id: number }>(rows: T[]): T[] => [...rows].sort((a, b) => a.id - b.id);
const employees = (...ids: number[]): EmployeeRow[] => ids.map((id) => DATA.employees.find((e) => e.id === id) as EmployeeRow);

describe('reading: GET /departments, /jobs, /employees', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(async () => {
    await app.reset();
    await seed(app, DATA);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('pages', () => {
    it('lists departments ordered by id with the default limit and offset', async () => {
      const res = await get(app.baseUrl, '/departments');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: byId(DATA.departments), total: 5, limit: 100, offset: 0 });
    });

    it('lists jobs ordered by id', async () => {
      await expect(get(app.baseUrl, '/jobs')).resolves.toMatchObject({
        status: 200,
        body: { items: byId(DATA.jobs), total: 3, limit: 100, offset: 0 },
      });
    });

    it('lists employees with hire_date as ISO 8601 UTC with milliseconds', async () => {
      await expect(get(app.baseUrl, '/employees')).resolves.toMatchObject({
        status: 200,
        body: { items: DATA.employees, total: 6, limit: 100, offset: 0 },
      });
    });

    it.each([
      ['/departments?limit=2&offset=1', { items: [{ id: 2, name: 'Engineering' }, { id: 3, name: 'Support' }], total: 5, limit: 2, offset: 1 }],
      ['/departments?limit=2&offset=4', { items: [{ id: 5, name: 'Legal' }], total: 5, limit: 2, offset: 4 }],
      ['/departments?offset=10', { items: [], total: 5, limit: 100, offset: 10 }],
      ['/jobs?limit=1', { items: [{ id: 1, title: 'Manager' }], total: 3, limit: 1, offset: 0 }],
      ['/jobs?limit=1000&offset=2', { items: [{ id: 3, title: 'Analyst' }], total: 3, limit: 1000, offset: 2 }],
      ['/employees?limit=2&offset=2', { items: employees(3, 4), total: 6, limit: 2, offset: 2 }],
    ])('GET %s', async (path, expected) => {
      await expect(get(app.baseUrl, path)).resolves.toMatchObject({ status: 200, body: expected });
    });

    it('returns an empty page when the table is empty', async () => {
      await app.reset();
      await expect(get(app.baseUrl, '/employees')).resolves.toMatchObject({
        status: 200,
        body: { items: [], total: 0, limit: 100, offset: 0 },
      });
    });

    it.each(['/departments?limit=0', '/departments?limit=1001', '/jobs?offset=-1', '/jobs?limit=abc', '/employees?limit=1.5', '/employees?offset=x'])(
      'GET %s → 400 invalid_request',
      async (path) => {
        const res = await get(app.baseUrl, path);
        expectProblem(res, 400, '/problems/invalid_request');
      },
    );
  });

  describe('employee filters', () => {
    it.each([
      ['department_id=1', [1, 2, 6]],
      ['job_id=1', [1, 3, 6]],
      ['department_id=2&job_id=1', [3]],
      ['department_id=4', []],
      ['hired_from=2021-01-01', [1, 2, 3, 4, 6]],
      ['hired_to=2021-12-31', [1, 2, 3, 5, 6]],
      ['hired_from=2021-01-01&hired_to=2021-12-31', [1, 2, 3, 6]],
      ['hired_to=2021-06-15T12:00:00Z', [1, 2, 5]],
      ['hired_from=2021-06-15T12:00:00.001Z', [3, 4, 6]],
      ['hired_from=2021-06-15T14:00:00%2B02:00', [2, 3, 4, 6]],
      ['hired_to=2021-12-31T18:59:59.999-05:00', [1, 2, 3, 5, 6]],
      ['hired_from=2021-06-15T12:00:00Z&hired_to=2021-06-15T12:00:00Z', [2]],
      ['hired_from=2021-06-15&hired_to=2021-06-15', [2, 6]],
      ['department_id=1&hired_from=2021-06-01&hired_to=2021-06-30', [2, 6]],
    ])('GET /employees?%s', async (query, ids) => {
      const res = await get(app.baseUrl, `/employees?${query}`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: employees(...ids), total: ids.length, limit: 100, offset: 0 });
    });

    it('pages within the filtered rows and counts only those', async () => {
      await expect(get(app.baseUrl, '/employees?department_id=1&limit=2&offset=1')).resolves.toMatchObject({
        status: 200,
        body: { items: employees(2, 6), total: 3, limit: 2, offset: 1 },
      });
    });

    it.each([
      'department_id=abc',
      'department_id=0',
      'job_id=-1',
      'job_id=2147483648',
      'hired_from=2021-02-30',
      'hired_from=yesterday',
      'hired_to=31/12/2021',
      'hired_after=2021-01-01',
    ])('GET /employees?%s → 400 naming the parameter', async (query) => {
      const res = await get(app.baseUrl, `/employees?${query}`);

      expectProblem(res, 400, '/problems/invalid_request');
      expect(res.body.detail).toContain(query.split('=')[0]);
    });
  });

  describe('one row: GET /<table>/{id}', () => {
    it.each([
      ['/departments/4', { id: 4, name: '東京' }],
      ['/jobs/2', { id: 2, title: 'Developer' }],
      ['/employees/3', { id: 3, name: 'Cy', hire_date: '2021-12-31T23:59:59.999Z', department_id: 2, job_id: 1 }],
    ])('GET %s → 200', async (path, expected) => {
      const res = await get(app.baseUrl, path);

      expect(res.status).toBe(200);
      expect(res.body).toEqual(expected);
    });

    it.each(['/departments/99', '/jobs/4', '/employees/2147483647'])('GET %s → 404 not_found', async (path) => {
      const res = await get(app.baseUrl, path);

      expectProblem(res, 404, '/problems/not_found');
      expect(res.body.detail).toContain(path.split('/')[2]);
      expect(res.body.instance).toBe(path);
    });

    it.each(['/departments/abc', '/jobs/0', '/employees/-1', '/employees/2147483648', '/departments/1.5', '/jobs/99999999999'])(
      'GET %s → 400 invalid_id',
      async (path) => {
        const res = await get(app.baseUrl, path);
        expectProblem(res, 400, '/problems/invalid_id');
      },
    );

    it.each(['/departments/1e0', '/jobs/0x1', '/employees/1.0'])(
      'GET %s → 400 invalid_id (only plain decimal digits name a row)',
      async (path) => {
        const res = await get(app.baseUrl, path);
        expectProblem(res, 400, '/problems/invalid_id');
      },
    );
  });
});
