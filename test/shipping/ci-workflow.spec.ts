import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './dockerfile';
import { AUDIT_COMMAND, Workflow, readWorkflow, readmeTestCommand, workflowProblems } from './ci-workflow';

// The advisory service cannot be reached from the build machines, so the
// audit runs in the workflow shipped for the repository's own hosting.
describe('CI workflow (.github/workflows/ci.yml)', () => {
  const workflow = readWorkflow();
  const testCommand = readmeTestCommand();

  it("runs the README's test command with PostgreSQL and Redis, and npm audit of production dependencies", () => {
    expect(testCommand).toBe('npm ci && npm test');
    expect(workflowProblems(workflow, testCommand)).toEqual([]);
  });

  it('goes with npm run deps:check, whose script exists', () => {
    const scripts = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['deps:check']).toBe('node scripts/deps-check.mjs');
    expect(existsSync(join(REPO_ROOT, 'scripts/deps-check.mjs'))).toBe(true);
  });

  describe('each rule fails on a broken copy', () => {
    /** A deep copy of the workflow, changed by `change`. */
    function broken(change: (copy: any) => void): Workflow {
      const copy = structuredClone(workflow) as any;
      change(copy);
      return copy;
    }
    const testJob = (copy: any): any => Object.values(copy.jobs).find((job: any) => job.steps.some((s: any) => s.run?.includes(testCommand)));
    const stepRunning = (command: string) => (copy: any) => {
      for (const job of Object.values(copy.jobs) as any[]) job.steps = job.steps.filter((step: any) => !step.run?.includes(command));
    };

    it.each([
      ['the test command removed', stepRunning(testCommand), /README's test command/],
      ['the audit removed', stepRunning(AUDIT_COMMAND), /npm audit/],
      [
        'the audit at a lower bar',
        (copy: any) => {
          stepRunning(AUDIT_COMMAND)(copy);
          testJob(copy).steps.push({ run: 'npm audit --audit-level=critical' });
        },
        /npm audit/,
      ],
      ['no PostgreSQL service', (copy: any) => delete testJob(copy).services.postgres, /PostgreSQL/],
      ['PostgreSQL with a password', (copy: any) => (testJob(copy).services.postgres.env = { POSTGRES_PASSWORD: 'x' }), /PostgreSQL/],
      ['no Redis service', (copy: any) => delete testJob(copy).services.redis, /Redis/],
      ['another Node.js', (copy: any) => (testJob(copy).steps.find((s: any) => s.uses?.startsWith('actions/setup-node@')).with['node-version'] = 18), /Node.js 20/],
      ['write permissions', (copy: any) => (copy.permissions = { contents: 'write' }), /permissions/],
      ['no pull requests', (copy: any) => delete copy.on.pull_request, /pull_request/],
    ])('%s', (_label, change, problem) => {
      expect(workflowProblems(broken(change), testCommand)).toEqual([expect.stringMatching(problem)]);
    });
  });
});
