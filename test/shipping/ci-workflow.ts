import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from './dockerfile';

/** The CI workflow shipped for the repository's own hosting, and what it must run. */

export const WORKFLOW_PATH = '.github/workflows/ci.yml';
export const AUDIT_COMMAND = 'npm audit --omit=dev --audit-level=high';

export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
export interface Job {
  readonly 'runs-on'?: string;
  readonly services?: Record<string, { image?: string; ports?: string[]; env?: Record<string, string> }>;
  readonly steps?: Step[];
}
export interface Workflow {
  readonly on?: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs?: Record<string, Job>;
}

export function readWorkflow(text = readFileSync(join(REPO_ROOT, WORKFLOW_PATH), 'utf8')): Workflow {
  return parseYaml(text) as Workflow;
}

/** The README's test command: the sh block of its "Two commands" section that runs npm test. */
export function readmeTestCommand(readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')): string {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Two commands'));
  if (!section) throw new Error('README.md has no "Two commands" section');
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1].trim());
  const command = blocks.find((block) => /\bnpm test\b/.test(block));
  if (!command) throw new Error('the "Two commands" section of README.md has no sh block running npm test');
  return command;
}

/** The commands of a step's run, one per line. */
function commandsOf(step: Step): string[] {
  return (step.run ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** What the workflow lacks, as sentences; none when it is right. */
export function workflowProblems(workflow: Workflow, testCommand: string): string[] {
  const problems: string[] = [];
  const jobs = Object.entries(workflow.jobs ?? {});
  const steps = jobs.flatMap(([, job]) => job.steps ?? []);
  if (!workflow.on || !('push' in workflow.on) || !('pull_request' in workflow.on)) problems.push('it does not run on push and pull_request');
  if (workflow.permissions?.contents !== 'read' || Object.keys(workflow.permissions).length !== 1) {
    problems.push('its token is not limited to reading the repository (permissions: contents: read)');
  }

  const testing = jobs.find(([, job]) => (job.steps ?? []).some((step) => commandsOf(step).includes(testCommand)));
  if (!testing) problems.push(`no step runs the README's test command (${testCommand})`);
  else {
    const [name, job] = testing;
    const services = Object.values(job.services ?? {});
    const postgres = services.find((service) => /^postgres:/.test(service.image ?? ''));
    if (!postgres || !(postgres.ports ?? []).includes('5432:5432') || postgres.env?.POSTGRES_HOST_AUTH_METHOD !== 'trust') {
      problems.push(`job ${name} has no PostgreSQL service on 5432 that user postgres reaches without a password`);
    }
    if (!services.some((service) => /^redis:/.test(service.image ?? '') && (service.ports ?? []).includes('6379:6379'))) {
      problems.push(`job ${name} has no Redis service on 6379`);
    }
    const node = (job.steps ?? []).find((step) => step.uses?.startsWith('actions/setup-node@'));
    if (String(node?.with?.['node-version']) !== '20') problems.push(`job ${name} does not set up Node.js 20 (the Dockerfile's)`);
  }

  if (!steps.some((step) => commandsOf(step).includes(AUDIT_COMMAND))) problems.push(`no step runs ${AUDIT_COMMAND}`);
  return problems;
}
