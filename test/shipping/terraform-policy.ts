/**
 * Policy checks of the Terraform under infra/aws, run without Terraform or its
 * providers (neither can be downloaded on the build machines): every *.tf file
 * is parsed with @cdktf/hcl2json and the rules are checked by following the
 * references between resources, e.g. "the RDS security group's only ingress
 * comes from the security group the ECS service runs in".
 *
 * hcl2json keeps literals (strings, numbers, bools, lists, objects) as JSON and
 * renders every other expression as its source text inside "${...}", e.g.
 * "${aws_security_group.tasks.id}". References are therefore read from that
 * text, and locals are followed through config.locals. A jsonencode(...) call
 * is one opaque string, so the container definitions must be written as
 * `jsonencode([local.<name>])` with the container object in a local, where its
 * fields stay JSON; anything else is reported instead of being waved through.
 * The same goes for the container's `secrets`: a list literal, or
 * `[for s in local.<name> : s if s.valueFrom != null]` over a list literal in
 * which an optional secret (one created only with its variable) is written
 * `one(aws_secretsmanager_secret.<name>[*].arn)`.
 *
 * checkTerraform() returns violations instead of throwing, so the spec can
 * run it on deliberately broken copies and prove that each rule can fail.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// Required, not imported: the package's typings pull the DOM library into the whole Node project.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('@cdktf/hcl2json') as { parse: (filename: string, contents: string) => Promise<Record<string, unknown>> };

/** One parsed block (resource, data source, variable, nested block): untyped JSON from hcl2json. */
export type Block = Record<string, any>;

export interface TerraformConfig {
  /** type -> name -> block, e.g. resources.aws_db_instance.this */
  resources: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  variables: Record<string, Block>;
  outputs: Record<string, Block>;
  locals: Record<string, unknown>;
  terraform: Block[];
  /** Top-level assignments of terraform.tfvars.example; null when the file is missing. */
  tfvarsExample: Record<string, unknown> | null;
}

export const RULES = [
  'providers',
  'variables-documented',
  'tfvars-example',
  'outputs',
  'network',
  'ecr',
  'log-group',
  'task-definition',
  'container-definitions-checkable',
  'container',
  'container-health-check',
  'container-logs',
  'database-url-secret',
  'api-keys-secret',
  'redis-url-secret',
  'secrets-not-in-environment',
  'trust-proxy',
  'service',
  'alb',
  'alb-listeners',
  'target-group',
  'rds-engine',
  'rds-encrypted',
  'rds-private',
  'rds-backups',
  'rds-deletion-protection',
  'rds-final-snapshot',
  'rds-password',
  'sg-alb',
  'sg-tasks',
  'sg-rds',
  'sg-open-ingress',
  'iam-checkable',
  'iam-wildcard',
  'iam-execution-role',
  'iam-task-role',
  'autoscaling',
] as const;
export type Rule = (typeof RULES)[number];

export interface Violation {
  rule: Rule;
  message: string;
}

export const CONTAINER_PORT = 8000;
const WORLD = ['0.0.0.0/0', '::/0'];
/** Actions AWS only accepts on Resource "*" (no resource-level permissions). */
const RESOURCE_STAR_ACTIONS = new Set(['ecr:GetAuthorizationToken']);
const MANAGED_EXECUTION_POLICY = /:iam::aws:policy\/service-role\/AmazonECSTaskExecutionRolePolicy$/;
/** Environment variables of the service that hold secrets: only ever through the container's `secrets`. */
export const SECRET_VARIABLES = ['DATABASE_URL', 'API_KEYS', 'REDIS_URL'];
/** Other names that look like a secret, wherever they come from. */
const SECRET_LOOKING_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|API_?KEY/i;

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

/** Parses every *.tf file of `dir` (and terraform.tfvars.example) into one structure. */
export async function loadTerraform(dir: string): Promise<TerraformConfig> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort();
  if (files.length === 0) throw new Error(`no .tf files in ${dir}`);
  const config: TerraformConfig = {
    resources: {},
    data: {},
    variables: {},
    outputs: {},
    locals: {},
    terraform: [],
    tfvarsExample: null,
  };
  for (const file of files) {
    const parsed = await parse(file, readFileSync(join(dir, file), 'utf8'));
    merge(config, parsed, file);
  }
  const example = join(dir, 'terraform.tfvars.example');
  if (existsSync(example)) {
    config.tfvarsExample = await parse('terraform.tfvars.example', readFileSync(example, 'utf8'));
  }
  return config;
}

function merge(config: TerraformConfig, parsed: Record<string, any>, file: string): void {
  const addOnce = (target: Record<string, Block>, name: string, blocks: Block[], what: string): void => {
    // Terraform itself rejects duplicates; here they would silently hide one definition.
    if (name in target) throw new Error(`${file}: ${what} "${name}" is declared twice`);
    target[name] = blocks[0];
  };
  for (const [kind, byType] of Object.entries<Record<string, Block[]>>(parsed.resource ?? {})) {
    config.resources[kind] ??= {};
    for (const [name, blocks] of Object.entries(byType)) addOnce(config.resources[kind], name, blocks, kind);
  }
  for (const [kind, byType] of Object.entries<Record<string, Block[]>>(parsed.data ?? {})) {
    config.data[kind] ??= {};
    for (const [name, blocks] of Object.entries(byType)) addOnce(config.data[kind], name, blocks, `data.${kind}`);
  }
  for (const [name, blocks] of Object.entries<Block[]>(parsed.variable ?? {})) addOnce(config.variables, name, blocks, 'variable');
  for (const [name, blocks] of Object.entries<Block[]>(parsed.output ?? {})) addOnce(config.outputs, name, blocks, 'output');
  for (const block of (parsed.locals ?? []) as Block[]) {
    for (const [name, value] of Object.entries(block)) {
      if (name in config.locals) throw new Error(`${file}: local "${name}" is declared twice`);
      config.locals[name] = value;
    }
  }
  config.terraform.push(...((parsed.terraform ?? []) as Block[]));
}

// ---------------------------------------------------------------------------
// Reading expressions
// ---------------------------------------------------------------------------

/** The source text of each ${...} in a string. */
function interpolations(text: string): string[] {
  const found: string[] = [];
  let start = text.indexOf('${');
  while (start !== -1) {
    let depth = 0;
    let end = start + 2;
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    found.push(text.slice(start + 2, end));
    start = text.indexOf('${', end + 1);
  }
  return found;
}

const TRAVERSAL = /(?<![\w."-])[A-Za-z_][\w-]*(?:\.(?:[A-Za-z_][\w-]*|\*)|\[[^\]]*\])+/g;

/** References in an expression, with index and splat steps removed: aws_subnet.private[*].id -> aws_subnet.private.id */
function referencesInExpression(expression: string): string[] {
  const found: string[] = [];
  for (const match of expression.matchAll(TRAVERSAL)) {
    found.push(match[0].replace(/\[[^\]]*\]/g, '').replace(/\.\*/g, ''));
    // References used as an index, e.g. aws_nat_gateway.this[min(count.index, local.n - 1)].
    for (const index of match[0].matchAll(/\[([^\]]*)\]/g)) found.push(...referencesInExpression(index[1]));
  }
  return found;
}

/** Every reference anywhere in a value (strings, lists, objects, nested blocks). */
export function refsIn(value: unknown): string[] {
  if (typeof value === 'string') return interpolations(value).flatMap(referencesInExpression);
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(refsIn);
  return [];
}

/** refsIn, plus the references of every local those refer to, transitively. */
function expandedRefs(config: TerraformConfig, value: unknown, seen = new Set<string>()): string[] {
  const found: string[] = [];
  for (const ref of refsIn(value)) {
    found.push(ref);
    const local = /^local\.([\w-]+)/.exec(ref)?.[1];
    if (local && !seen.has(local) && local in config.locals) {
      seen.add(local);
      found.push(...expandedRefs(config, config.locals[local], seen));
    }
  }
  return found;
}

/** The source text of a value and of every local it refers to, transitively (to look for literals in it). */
function expandedText(config: TerraformConfig, value: unknown): string {
  const locals = [...new Set(expandedRefs(config, value).map((ref) => /^local\.([\w-]+)/.exec(ref)?.[1]).filter((name): name is string => name !== undefined))];
  return [value, ...locals.map((name) => config.locals[name])].map((v) => JSON.stringify(v)).join('\n');
}

/**
 * Problems with a value that must be the VPC's address blocks whichever way
 * the stack gets its VPC: the created VPC's (var.vpc_cidr or aws_vpc.<name>.cidr_block)
 * and the existing VPC's (a data "aws_vpc" read by var.existing_vpc's id), and
 * nothing that is the whole internet.
 */
function vpcCidrProblems(config: TerraformConfig, value: unknown): string[] {
  const refs = expandedRefs(config, value);
  const problems: string[] = [];
  if (!refs.some((r) => r === 'var.vpc_cidr' || /^aws_vpc\.[\w-]+\.cidr_block$/.test(r))) problems.push("does not follow the created VPC's CIDR (var.vpc_cidr)");
  const existing = Object.entries(config.data.aws_vpc ?? {})
    .filter(([, vpc]) => mentions(vpc.id, 'var.existing_vpc'))
    .map(([name]) => name);
  const followsExisting = refs.some((r) => existing.some((name) => r === `data.aws_vpc.${name}.cidr_block` || r === `data.aws_vpc.${name}.cidr_block_associations`));
  if (!followsExisting) problems.push('does not follow the CIDR blocks of var.existing_vpc (a data "aws_vpc" with id = var.existing_vpc.vpc_id)');
  const text = expandedText(config, value);
  if (WORLD.some((cidr) => text.includes(cidr))) problems.push(`includes ${WORLD.join(' or ')}`);
  return problems;
}

/** Names of the `type` resources a value refers to. */
function namesOf(value: unknown, type: string): string[] {
  const prefix = `${type}.`;
  const names = refsIn(value)
    .filter((ref) => ref.startsWith(prefix))
    .map((ref) => ref.slice(prefix.length).split('.')[0]);
  return [...new Set(names)];
}

function mentions(value: unknown, address: string): boolean {
  return refsIn(value).some((ref) => ref === address || ref.startsWith(`${address}.`));
}

/** The value behind "${local.x}" or "${var.x}" (its default), followed until it is something else. */
export function resolve(config: TerraformConfig, value: unknown, depth = 0): unknown {
  if (typeof value !== 'string' || depth > 10) return value;
  const whole = /^\$\{(local|var)\.([\w-]+)\}$/.exec(value);
  if (!whole) return value;
  const [, kind, name] = whole;
  if (kind === 'local') return name in config.locals ? resolve(config, config.locals[name], depth + 1) : value;
  const variable = config.variables[name];
  return variable && 'default' in variable ? resolve(config, variable.default, depth + 1) : value;
}

/** The variable a value is exactly, for "${var.x}". */
function variableOf(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{var\.([\w-]+)\}$/.exec(value)?.[1] : undefined;
}

/** Nested blocks come as arrays of one object each. */
function first(blocks: unknown): Block | undefined {
  return Array.isArray(blocks) ? (blocks[0] as Block | undefined) : undefined;
}

function all(blocks: unknown): Block[] {
  return Array.isArray(blocks) ? (blocks as Block[]) : [];
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function resources(config: TerraformConfig, type: string): [string, Block][] {
  return Object.entries(config.resources[type] ?? {});
}

// ---------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------

type Report = (rule: Rule, message: string) => void;

export function checkTerraform(config: TerraformConfig): Violation[] {
  const violations: Violation[] = [];
  const report: Report = (rule, message) => violations.push({ rule, message });

  checkProviders(config, report);
  checkVariables(config, report);
  checkTfvarsExample(config, report);
  checkOutputs(config, report);

  const taskDefinition = checkTaskDefinition(config, report);
  const container = checkContainer(config, taskDefinition, report);
  const service = checkService(config, taskDefinition, container, report);
  const alb = checkLoadBalancer(config, service.targetGroup, report);
  const db = checkDatabase(config, report);
  checkDatabaseUrl(config, container, db, report);
  checkApiKeys(config, container, report);
  checkRedisUrl(config, container, report);
  checkTrustProxy(config, container, alb.block, report);
  checkSecurityGroups(config, { alb: alb.securityGroup, tasks: service.securityGroup, rds: db.securityGroup }, report);
  checkIam(config, taskDefinition, container, report);
  checkAutoscaling(config, service.name, report);
  return violations;
}

function checkProviders(config: TerraformConfig, report: Report): void {
  const providers = Object.assign({}, ...config.terraform.flatMap((block) => all(block.required_providers)));
  const aws = providers.aws as Block | undefined;
  if (!aws || aws.source !== 'hashicorp/aws' || !/^~>\s*5(\.\d+)*$/.test(String(aws.version))) {
    report('providers', `required_providers.aws must be hashicorp/aws "~> 5.x" (got ${JSON.stringify(aws)})`);
  }
  if (!providers.random) report('providers', 'required_providers must declare random (the database password is generated)');
}

function checkVariables(config: TerraformConfig, report: Report): void {
  for (const [name, variable] of Object.entries(config.variables)) {
    if (typeof variable.description !== 'string' || variable.description.trim() === '') {
      report('variables-documented', `variable "${name}" has no description`);
    }
    if (variable.type === undefined) report('variables-documented', `variable "${name}" has no type`);
  }
}

function checkTfvarsExample(config: TerraformConfig, report: Report): void {
  const example = config.tfvarsExample;
  if (!example) {
    report('tfvars-example', 'infra/aws/terraform.tfvars.example is missing');
    return;
  }
  for (const name of Object.keys(example)) {
    if (!(name in config.variables)) report('tfvars-example', `terraform.tfvars.example sets "${name}", which is not a declared variable`);
  }
  for (const [name, variable] of Object.entries(config.variables)) {
    if (!('default' in variable) && !(name in example)) {
      report('tfvars-example', `terraform.tfvars.example does not set the required variable "${name}"`);
    }
  }
}

function checkOutputs(config: TerraformConfig, report: Report): void {
  const albUrl = config.outputs.alb_url;
  if (!albUrl || !refsIn(albUrl.value).some((r) => /^aws_lb\.[\w-]+\.dns_name$/.test(r)) || !String(albUrl.value).includes('http')) {
    report('outputs', 'output "alb_url" must be an http(s):// URL built from the ALB dns_name');
  }
  const ecrUrl = config.outputs.ecr_repository_url;
  if (!ecrUrl || !refsIn(ecrUrl.value).some((r) => /^aws_ecr_repository\.[\w-]+\.repository_url$/.test(r))) {
    report('outputs', 'output "ecr_repository_url" must be the ECR repository_url');
  }
  for (const [name, output] of Object.entries(config.outputs)) {
    if (typeof output.description !== 'string' || output.description.trim() === '') report('outputs', `output "${name}" has no description`);
  }
}

// --- Networking ------------------------------------------------------------

/** Routes of the route tables associated with a subnet, one list per table (inline routes and aws_route resources). */
function routesBySubnetTable(config: TerraformConfig, subnet: string): Block[][] {
  const tables = resources(config, 'aws_route_table_association')
    .filter(([, association]) => namesOf(association.subnet_id, 'aws_subnet').includes(subnet))
    .flatMap(([, association]) => namesOf(association.route_table_id, 'aws_route_table'));
  return [...new Set(tables)]
    .filter((table) => config.resources.aws_route_table?.[table] !== undefined)
    .map((table) => [
      ...all(config.resources.aws_route_table[table].route),
      ...resources(config, 'aws_route')
        .filter(([, route]) => mentions(route.route_table_id, `aws_route_table.${table}`))
        .map(([, route]) => route),
    ]);
}

/** Whether a subnet resource is public (a route to an internet gateway) or private (associated, no such route). */
function subnetKind(config: TerraformConfig, subnet: string): 'public' | 'private' | 'unknown' {
  const tables = routesBySubnetTable(config, subnet);
  if (tables.length === 0) return 'unknown';
  const viaInternetGateway = tables.some((routes) => routes.some((route) => mentions(route.gateway_id, 'aws_internet_gateway')));
  if (viaInternetGateway) return 'public';
  return config.resources.aws_subnet?.[subnet]?.map_public_ip_on_launch === true ? 'public' : 'private';
}

/**
 * Problems with a subnet list that must be all `kind`: every aws_subnet it can
 * resolve to must be of that kind, and a variable it falls back to must be
 * named for that kind (e.g. var.existing_vpc.private_subnet_ids).
 */
function subnetProblems(config: TerraformConfig, value: unknown, kind: 'public' | 'private'): string[] {
  const refs = expandedRefs(config, value);
  const subnets = [...new Set(refs.filter((r) => r.startsWith('aws_subnet.')).map((r) => r.split('.')[1]))];
  const variables = refs.filter((r) => r.startsWith('var.') && /subnet/.test(r));
  const other = kind === 'public' ? 'private' : 'public';
  const problems: string[] = [];
  if (subnets.length === 0 && variables.length === 0) problems.push(`${JSON.stringify(value)} refers to no subnets`);
  for (const subnet of subnets) {
    const actual = subnetKind(config, subnet);
    if (actual !== kind) problems.push(`aws_subnet.${subnet} is ${actual}, not ${kind}`);
  }
  for (const variable of variables) {
    if (variable.includes(other) || !variable.includes(kind)) problems.push(`${variable} is not a list of ${kind} subnets`);
  }
  return problems;
}

/** Tasks in private subnets need a NAT route to reach ECR, Secrets Manager and CloudWatch Logs. */
function checkNatRoutes(config: TerraformConfig, value: unknown, report: Report): void {
  const subnets = new Set(expandedRefs(config, value).filter((r) => r.startsWith('aws_subnet.')).map((r) => r.split('.')[1]));
  for (const subnet of subnets) {
    const tables = routesBySubnetTable(config, subnet);
    const natRoute = tables.length > 0 && tables.every((routes) => routes.some((route) => route.cidr_block === '0.0.0.0/0' && mentions(route.nat_gateway_id, 'aws_nat_gateway')));
    if (!natRoute) report('network', `aws_subnet.${subnet} (tasks) has no default route through a NAT gateway`);
  }
}

// --- ECS -------------------------------------------------------------------

interface TaskDefinitionFacts {
  name?: string;
  block?: Block;
}

function checkTaskDefinition(config: TerraformConfig, report: Report): TaskDefinitionFacts {
  const services = resources(config, 'aws_ecs_service');
  if (services.length !== 1) {
    report('service', `expected exactly one aws_ecs_service, found ${services.length}`);
  }
  const name = services[0] ? namesOf(services[0][1].task_definition, 'aws_ecs_task_definition')[0] : undefined;
  const block = name ? config.resources.aws_ecs_task_definition?.[name] : undefined;
  if (!block) {
    report('task-definition', 'the ECS service does not reference an aws_ecs_task_definition');
    return {};
  }
  if (!asList(block.requires_compatibilities).includes('FARGATE')) report('task-definition', 'requires_compatibilities must include FARGATE');
  if (block.network_mode !== 'awsvpc') report('task-definition', 'network_mode must be awsvpc');
  for (const size of ['cpu', 'memory']) {
    const variable = variableOf(block[size]);
    if (!variable || !(variable in config.variables)) report('task-definition', `${size} must come from a variable (got ${JSON.stringify(block[size])})`);
  }
  if (!config.resources.aws_ecs_cluster || Object.keys(config.resources.aws_ecs_cluster).length === 0) report('service', 'no aws_ecs_cluster');
  return { name, block };
}

/** One entry of the container's `secrets`. */
export interface SecretEntry {
  /** The environment variable it becomes. */
  name: string;
  valueFrom: unknown;
  /** The aws_secretsmanager_secret of this stack valueFrom refers to, if it refers to exactly one. */
  secret?: string;
  /**
   * arn: aws_secretsmanager_secret.<name>.arn, always named. optional:
   * one(aws_secretsmanager_secret.<name>[*].arn) in a list filtered on
   * valueFrom != null, named only while that secret exists. other: anything else.
   */
  form: 'arn' | 'optional' | 'other';
}

interface ContainerFacts {
  name?: unknown;
  block?: Block;
  /** The local the container object is in. */
  local?: string;
  /** The container's `secrets`; undefined when they cannot be read (reported). */
  secrets?: SecretEntry[];
  /** The aws_secretsmanager_secret DATABASE_URL comes from. */
  secret?: string;
}

function checkContainer(config: TerraformConfig, taskDefinition: TaskDefinitionFacts, report: Report): ContainerFacts {
  if (!taskDefinition.block) return {};
  const raw = taskDefinition.block.container_definitions;
  const locals = typeof raw === 'string' ? /^\$\{jsonencode\(\[\s*((?:local\.[\w-]+\s*,?\s*)+)\]\)\}$/.exec(raw)?.[1] : undefined;
  const containers = (locals ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((ref) => config.locals[ref.slice('local.'.length)]);
  if (!locals || containers.length !== 1 || containers.some((c) => c === null || typeof c !== 'object' || Array.isArray(c))) {
    report('container-definitions-checkable', 'container_definitions must be jsonencode([local.<name>]) with one container object literal in that local, so its fields can be checked');
    return {};
  }
  const container = containers[0] as Block;
  const local = (locals.split(/[\s,]+/).find(Boolean) ?? '').slice('local.'.length);

  const imageRefs = expandedRefs(config, container.image);
  const repository = imageRefs.find((r) => /^aws_ecr_repository\.[\w-]+\.repository_url$/.test(r))?.split('.')[1];
  if (!repository) report('ecr', "the container image must come from the stack's aws_ecr_repository");
  const repo = repository ? config.resources.aws_ecr_repository?.[repository] : undefined;
  if (repo) {
    if (first(repo.image_scanning_configuration)?.scan_on_push !== true) report('ecr', `aws_ecr_repository.${repository} must scan on push`);
    const lifecycle = resources(config, 'aws_ecr_lifecycle_policy').some(([, policy]) => mentions(policy.repository, `aws_ecr_repository.${repository}`));
    if (repo.image_tag_mutability !== 'IMMUTABLE' && !lifecycle) {
      report('ecr', `aws_ecr_repository.${repository} needs immutable tags or a lifecycle policy`);
    }
  }

  const ports = asList(container.portMappings).map((mapping) => resolve(config, (mapping as Block).containerPort));
  if (!ports.includes(CONTAINER_PORT)) report('container', `the container must map port ${CONTAINER_PORT} (got ${JSON.stringify(ports)})`);
  if (container.essential === false) report('container', 'the only container must be essential');

  const command = asList(container.healthCheck?.command).map(String);
  const script = command.join(' ');
  if (!['CMD', 'CMD-SHELL'].includes(command[0]) || !script.includes('fetch(') || !script.includes(`http://127.0.0.1:${CONTAINER_PORT}/health/live`) || /\b(curl|wget)\b/.test(script)) {
    report('container-health-check', `healthCheck must run node's fetch of http://127.0.0.1:${CONTAINER_PORT}/health/live (the image has no curl): ${JSON.stringify(command)}`);
  }

  checkContainerLogs(config, container, report);

  const secrets = containerSecrets(config, container.secrets, report);
  checkEnvironment(config, container, secrets, report);

  // DATABASE_URL: always named, from this stack's secret (its value is checked in checkDatabaseUrl).
  const database = secrets?.filter((entry) => entry.name === 'DATABASE_URL') ?? [];
  const secret = database.length === 1 && database[0].form === 'arn' ? database[0].secret : undefined;
  if (secrets && !secret) report('database-url-secret', 'the container must take DATABASE_URL from `secrets` with valueFrom = aws_secretsmanager_secret.<name>.arn');
  return { name: container.name, block: container, local, secrets, secret };
}

const OPTIONAL_SECRETS = /^\$\{\[\s*for\s+([\w-]+)\s+in\s+local\.([\w-]+)\s*:\s*\1\s+if\s+\1\.valueFrom\s*!=\s*null\s*\]\}$/;

/** The container's `secrets` (see SecretEntry), or undefined when they are written in a way that cannot be checked. */
function containerSecrets(config: TerraformConfig, value: unknown, report: Report): SecretEntry[] | undefined {
  let list: unknown = value ?? [];
  const filtered = typeof value === 'string' ? OPTIONAL_SECRETS.exec(value) : null;
  if (filtered) list = config.locals[filtered[2]];
  if (!Array.isArray(list) || list.some((entry) => entry === null || typeof entry !== 'object' || Array.isArray(entry))) {
    report(
      'container-definitions-checkable',
      'the container `secrets` must be a list of { name, valueFrom } literals, or [for s in local.<name> : s if s.valueFrom != null] over such a list in a local, so they can be checked',
    );
    return undefined;
  }
  return (list as Block[]).map((entry) => {
    const names = namesOf(entry.valueFrom, 'aws_secretsmanager_secret');
    const secret = names.length === 1 && config.resources.aws_secretsmanager_secret?.[names[0]] ? names[0] : undefined;
    let form: SecretEntry['form'] = 'other';
    if (secret && entry.valueFrom === `\${aws_secretsmanager_secret.${secret}.arn}`) form = 'arn';
    if (secret && filtered && entry.valueFrom === `\${one(aws_secretsmanager_secret.${secret}[*].arn)}`) form = 'optional';
    return { name: String(resolve(config, entry.name)), valueFrom: entry.valueFrom, secret, form };
  });
}

/** Nothing secret in the environment: it is readable by anyone who may describe the task definition. */
function checkEnvironment(config: TerraformConfig, container: Block, secrets: SecretEntry[] | undefined, report: Report): void {
  const secretNames = new Set([...SECRET_VARIABLES, ...(secrets ?? []).map((entry) => entry.name)]);
  const sensitive = (ref: string) => {
    const variable = /^var\.([\w-]+)/.exec(ref)?.[1];
    return variable !== undefined && config.variables[variable]?.sensitive === true;
  };
  for (const entry of asList(container.environment) as Block[]) {
    const name = String(resolve(config, entry.name));
    if (secretNames.has(name) || SECRET_LOOKING_NAME.test(name)) {
      report('secrets-not-in-environment', `${name} is in the container environment; a secret must come from \`secrets\``);
    }
    const refs = expandedRefs(config, entry.value);
    const secretTypes = ['random_password.', 'aws_secretsmanager_secret_version.', 'data.aws_secretsmanager_secret_version.'];
    if (refs.some((r) => secretTypes.some((type) => r.startsWith(type)) || r.endsWith('.password') || sensitive(r))) {
      report('secrets-not-in-environment', `environment entry ${JSON.stringify(name)} carries a secret value`);
    }
  }
}

function checkContainerLogs(config: TerraformConfig, container: Block, report: Report): void {
  const logs = container.logConfiguration as Block | undefined;
  const group = namesOf(logs?.options?.['awslogs-group'], 'aws_cloudwatch_log_group')[0];
  if (logs?.logDriver !== 'awslogs' || !group || logs.options['awslogs-group'] !== `\${aws_cloudwatch_log_group.${group}.name}`) {
    report('container-logs', 'the container must log with the awslogs driver to an aws_cloudwatch_log_group of this stack');
    return;
  }
  const block = config.resources.aws_cloudwatch_log_group?.[group];
  if (!block) {
    report('container-logs', `aws_cloudwatch_log_group.${group} does not exist`);
    return;
  }
  if (block.name !== '/ecs/${var.project}-api') report('log-group', `log group name must be /ecs/\${var.project}-api (got ${JSON.stringify(block.name)})`);
  const retention = variableOf(block.retention_in_days);
  if (!retention || !(retention in config.variables)) report('log-group', 'retention_in_days must come from a variable');
}

interface ServiceFacts {
  name?: string;
  securityGroup?: string;
  targetGroup?: string;
}

function checkService(config: TerraformConfig, taskDefinition: TaskDefinitionFacts, container: ContainerFacts, report: Report): ServiceFacts {
  const [name, service] = resources(config, 'aws_ecs_service')[0] ?? [];
  if (!name || !service) return {};
  const fargate = service.launch_type === 'FARGATE' || all(service.capacity_provider_strategy).some((s) => /^FARGATE(_SPOT)?$/.test(String(s.capacity_provider)));
  if (!fargate) report('service', 'the service must run on Fargate');
  if (!mentions(service.cluster, 'aws_ecs_cluster')) report('service', 'the service must run in the stack\'s aws_ecs_cluster');

  const network = first(service.network_configuration);
  if (!network) report('service', 'the service needs a network_configuration (awsvpc)');
  if (resolve(config, network?.assign_public_ip) === true) report('service', 'tasks must not get a public IP (assign_public_ip = false)');
  for (const problem of subnetProblems(config, network?.subnets, 'private')) report('service', `service subnets: ${problem}`);
  checkNatRoutes(config, network?.subnets, report);
  const securityGroups = namesOf(network?.security_groups, 'aws_security_group');
  if (securityGroups.length !== 1) report('service', `the service must use exactly one security group of this stack (got ${JSON.stringify(network?.security_groups)})`);

  const lb = first(service.load_balancer);
  const targetGroup = namesOf(lb?.target_group_arn, 'aws_lb_target_group')[0];
  if (!targetGroup || !config.resources.aws_lb_target_group?.[targetGroup]) report('service', 'the service must register with an aws_lb_target_group of this stack');
  if (resolve(config, lb?.container_port) !== CONTAINER_PORT) report('service', `load_balancer.container_port must be ${CONTAINER_PORT}`);
  if (container.name !== undefined && resolve(config, lb?.container_name) !== resolve(config, container.name)) report('service', 'load_balancer.container_name must name the container');

  const breaker = first(service.deployment_circuit_breaker);
  if (breaker?.enable !== true || breaker?.rollback !== true) report('service', 'deployment_circuit_breaker must have enable = true and rollback = true');
  if (taskDefinition.name && !mentions(service.task_definition, `aws_ecs_task_definition.${taskDefinition.name}`)) report('service', 'task_definition mismatch');
  return { name, securityGroup: securityGroups[0], targetGroup };
}

// --- Load balancer ---------------------------------------------------------

function checkLoadBalancer(config: TerraformConfig, serviceTargetGroup: string | undefined, report: Report): { securityGroup?: string; block?: Block } {
  // The service's target group, or the only one: a service that lost its load_balancer block is reported once, under "service".
  const groups = Object.keys(config.resources.aws_lb_target_group ?? {});
  const targetGroup = serviceTargetGroup ?? (groups.length === 1 ? groups[0] : undefined);
  const target = targetGroup ? config.resources.aws_lb_target_group?.[targetGroup] : undefined;
  if (!target) report('target-group', 'no aws_lb_target_group to check');
  if (target) {
    if (target.target_type !== 'ip') report('target-group', 'target_type must be ip (awsvpc tasks)');
    if (resolve(config, target.port) !== CONTAINER_PORT) report('target-group', `target group port must be ${CONTAINER_PORT}`);
    const health = first(target.health_check);
    if (health?.path !== '/health' || String(health?.matcher) !== '200') {
      report('target-group', `health_check must be path "/health", matcher "200" (got ${JSON.stringify(health)})`);
    }
  }

  const lbs = resources(config, 'aws_lb');
  if (lbs.length !== 1) {
    report('alb', `expected exactly one aws_lb, found ${lbs.length}`);
    return {};
  }
  const [lbName, lb] = lbs[0];
  if ((lb.load_balancer_type ?? 'application') !== 'application' || lb.internal === true) report('alb', 'the load balancer must be an internet-facing application load balancer');
  for (const problem of subnetProblems(config, lb.subnets, 'public')) report('alb', `ALB subnets: ${problem}`);
  const securityGroups = namesOf(lb.security_groups, 'aws_security_group');
  if (securityGroups.length !== 1) report('alb', 'the ALB must use exactly one security group of this stack');

  const listeners = resources(config, 'aws_lb_listener').filter(([, l]) => mentions(l.load_balancer_arn, `aws_lb.${lbName}`));
  const onPort = (port: number) => listeners.filter(([, l]) => resolve(config, l.port) === port).map(([, l]) => l);
  const forwards = (action: Block | undefined) => String(action?.type).includes('forward') && targetGroup !== undefined && mentions(action?.target_group_arn, `aws_lb_target_group.${targetGroup}`);

  const [http, ...moreHttp] = onPort(80);
  const [https, ...moreHttps] = onPort(443);
  if (!http || moreHttp.length > 0 || http.protocol !== 'HTTP') report('alb-listeners', 'expected one HTTP listener on port 80');
  const httpAction = first(http?.default_action);
  if (!https) {
    if (httpAction?.type !== 'forward' || !forwards(httpAction)) report('alb-listeners', 'without HTTPS the port-80 listener must forward to the target group');
  } else {
    if (moreHttps.length > 0 || https.protocol !== 'HTTPS' || !forwards(first(https.default_action))) report('alb-listeners', 'the port-443 listener must be HTTPS and forward to the target group');
    const certificate = variableOf(https.certificate_arn);
    if (!certificate || !(certificate in config.variables)) {
      report('alb-listeners', 'the HTTPS listener\'s certificate_arn must be a variable');
    } else {
      const optional = (value: unknown) => expandedRefs(config, value).includes(`var.${certificate}`);
      if (!optional(https.count)) report('alb-listeners', `the HTTPS listener must exist only when var.${certificate} is set (count)`);
      // With a certificate, port 80 redirects (a dynamic block keeps it one listener that can also forward).
      const redirect = first(httpAction?.redirect) ?? first(first(httpAction?.dynamic?.redirect)?.content);
      const redirectsWhenHttps = String(httpAction?.type).includes('redirect') && optional(httpAction?.type) && String(redirect?.port) === '443' && redirect?.protocol === 'HTTPS';
      if (!redirectsWhenHttps) report('alb-listeners', 'with a certificate the port-80 listener must redirect to HTTPS 443');
      if (!forwards(httpAction)) report('alb-listeners', 'without a certificate the port-80 listener must forward to the target group');
    }
  }
  return { securityGroup: securityGroups[0], block: lb };
}

// --- Database --------------------------------------------------------------

function checkDatabase(config: TerraformConfig, report: Report): { name?: string; securityGroup?: string } {
  const instances = resources(config, 'aws_db_instance');
  if (instances.length !== 1) {
    report('rds-engine', `expected exactly one aws_db_instance, found ${instances.length}`);
    return {};
  }
  const [name, db] = instances[0];
  if (db.engine !== 'postgres' || !/^15(\.\d+)?$/.test(String(resolve(config, db.engine_version)))) {
    report('rds-engine', `engine must be postgres 15 (got ${JSON.stringify(db.engine)} ${JSON.stringify(resolve(config, db.engine_version))})`);
  }
  if (db.storage_encrypted !== true) report('rds-encrypted', 'storage_encrypted must be true');

  if (db.publicly_accessible !== false) report('rds-private', 'publicly_accessible must be false');
  const subnetGroup = namesOf(db.db_subnet_group_name, 'aws_db_subnet_group')[0];
  const group = subnetGroup ? config.resources.aws_db_subnet_group?.[subnetGroup] : undefined;
  if (!group) report('rds-private', 'db_subnet_group_name must reference an aws_db_subnet_group of this stack');
  for (const problem of group ? subnetProblems(config, group.subnet_ids, 'private') : []) report('rds-private', `DB subnet group: ${problem}`);
  const securityGroups = namesOf(db.vpc_security_group_ids, 'aws_security_group');
  if (securityGroups.length !== 1) report('rds-private', 'the database must use exactly one security group of this stack');

  const backups = variableOf(db.backup_retention_period);
  if (backups) {
    const variable = config.variables[backups];
    const minimum = all(variable?.validation)
      .map((v) => new RegExp(`var\\.${backups}\\s*>=\\s*(\\d+)`).exec(String(v.condition))?.[1])
      .filter((m): m is string => m !== undefined)
      .map(Number);
    if (!variable || !(Number(variable.default) >= 7) || !minimum.some((m) => m >= 7)) {
      report('rds-backups', `var.${backups} must default to at least 7 and validate >= 7`);
    }
  } else if (!(Number(db.backup_retention_period) >= 7)) {
    report('rds-backups', 'backup_retention_period must be at least 7 days');
  }

  if (resolve(config, db.deletion_protection) !== true) report('rds-deletion-protection', 'deletion_protection must be (or default to) true');
  if (resolve(config, db.skip_final_snapshot) !== false || !db.final_snapshot_identifier) {
    report('rds-final-snapshot', 'skip_final_snapshot must be (or default to) false, with a final_snapshot_identifier');
  }
  const generated = namesOf(db.password, 'random_password').length === 1 || db.manage_master_user_password === true;
  if (!generated) report('rds-password', 'the master password must be generated (random_password or manage_master_user_password)');
  return { name, securityGroup: securityGroups[0] };
}

function checkDatabaseUrl(config: TerraformConfig, container: ContainerFacts, db: { name?: string }, report: Report): void {
  if (!container.secret || !db.name) return;
  const versions = resources(config, 'aws_secretsmanager_secret_version').filter(([, v]) => mentions(v.secret_id, `aws_secretsmanager_secret.${container.secret}`));
  const built = versions.some(([, v]) => {
    const value = String(v.secret_string);
    const refs = refsIn(value);
    return value.startsWith('postgres://') && refs.some((r) => r === `aws_db_instance.${db.name}.address` || r === `aws_db_instance.${db.name}.endpoint`) && refs.some((r) => r.startsWith('random_password.'));
  });
  if (!built) report('database-url-secret', `aws_secretsmanager_secret.${container.secret} needs a version whose secret_string is a postgres:// URL built from aws_db_instance.${db.name} and the generated password`);
}

// --- API keys, Redis, client addresses ------------------------------------

/** Whether a block's count or for_each depends on var.<name> (the block exists only with it). */
function onlyWith(config: TerraformConfig, block: Block | undefined, name: string): boolean {
  return expandedRefs(config, [block?.count, block?.for_each]).includes(`var.${name}`);
}

/**
 * API_KEYS: in production the service refuses to start without keys, so the
 * container always names the secret. Its value is the operator's (put by
 * hand), unless a sensitive variable that defaults to null is set.
 */
function checkApiKeys(config: TerraformConfig, container: ContainerFacts, report: Report): void {
  if (!container.secrets) return;
  const entries = container.secrets.filter((entry) => entry.name === 'API_KEYS');
  const name = entries.length === 1 && entries[0].form === 'arn' ? entries[0].secret : undefined;
  if (!name) {
    report('api-keys-secret', 'the container must take API_KEYS from `secrets` with valueFrom = aws_secretsmanager_secret.<name>.arn (without keys the service does not start in production)');
    return;
  }
  const secret = config.resources.aws_secretsmanager_secret[name];
  if (secret.count !== undefined || secret.for_each !== undefined) report('api-keys-secret', `aws_secretsmanager_secret.${name} (API_KEYS) must always exist`);
  for (const [version, block] of resources(config, 'aws_secretsmanager_secret_version').filter(([, v]) => mentions(v.secret_id, `aws_secretsmanager_secret.${name}`))) {
    const variable = variableOf(block.secret_string);
    const declared = variable ? config.variables[variable] : undefined;
    if (!variable || !declared || declared.sensitive !== true || declared.default !== null || !onlyWith(config, block, variable)) {
      report(
        'api-keys-secret',
        `aws_secretsmanager_secret_version.${version} may only write a sensitive variable that defaults to null, and only when it is set (count): by default the operator puts API_KEYS, outside Terraform`,
      );
    }
  }
  if (!Object.values(config.outputs).some((output) => output.value === `\${aws_secretsmanager_secret.${name}.arn}`)) {
    report('api-keys-secret', `an output must give aws_secretsmanager_secret.${name}.arn: the operator puts the keys into it`);
  }
}

/**
 * REDIS_URL: var.redis_url (sensitive: it may hold a password; "" for per-task
 * counters) goes into a secret that exists only when it is set, and the
 * container names that secret only then.
 */
function checkRedisUrl(config: TerraformConfig, container: ContainerFacts, report: Report): void {
  const variable = config.variables.redis_url;
  if (!variable) {
    report('redis-url-secret', 'variable "redis_url" (a shared Redis for the rate limits) is missing');
    return;
  }
  if (variable.sensitive !== true || variable.default !== '') report('redis-url-secret', 'variable "redis_url" must be sensitive (the URL may hold a password) and default to "" (per-task counters)');
  if (!container.secrets) return;
  const entries = container.secrets.filter((entry) => entry.name === 'REDIS_URL');
  const name = entries.length === 1 ? entries[0].secret : undefined;
  if (!name) {
    report('redis-url-secret', 'the container must take REDIS_URL from `secrets`, from an aws_secretsmanager_secret of this stack, when var.redis_url is set');
    return;
  }
  if (entries[0].form !== 'optional' || !onlyWith(config, config.resources.aws_secretsmanager_secret[name], 'redis_url')) {
    report(
      'redis-url-secret',
      `REDIS_URL must be named only when var.redis_url is set: aws_secretsmanager_secret.${name} with a count on it, and valueFrom = one(aws_secretsmanager_secret.${name}[*].arn) in a list filtered on valueFrom != null`,
    );
  }
  const holds = resources(config, 'aws_secretsmanager_secret_version').some(
    ([, v]) => mentions(v.secret_id, `aws_secretsmanager_secret.${name}`) && v.secret_string === '${var.redis_url}' && onlyWith(config, v, 'redis_url'),
  );
  if (!holds) report('redis-url-secret', `aws_secretsmanager_secret.${name} needs a version holding var.redis_url, created only when it is set`);
}

/**
 * TRUST_PROXY: the service believes X-Forwarded-For only from these proxies.
 * Behind the ALB that is the VPC's address blocks, created or existing: not
 * "true" or the internet, which would let a client choose its own address
 * (and so its rate-limit bucket). The ALB must append to the header.
 */
function checkTrustProxy(config: TerraformConfig, container: ContainerFacts, lb: Block | undefined, report: Report): void {
  if (!container.block) return;
  const entries = (asList(container.block.environment) as Block[]).filter((entry) => resolve(config, entry.name) === 'TRUST_PROXY');
  if (entries.length !== 1) {
    report('trust-proxy', 'the container environment must set TRUST_PROXY (once) to the VPC CIDR, the addresses of the ALB');
  } else {
    const value = entries[0].value;
    const problems = typeof value === 'string' && value.includes('${') ? vpcCidrProblems(config, value) : [`is the literal ${JSON.stringify(value)}`];
    for (const problem of problems) report('trust-proxy', `TRUST_PROXY must be the VPC's CIDR blocks: it ${problem}`);
  }
  const mode = lb?.xff_header_processing_mode;
  if (mode !== undefined && mode !== 'append') report('trust-proxy', `the ALB must append the client's address to X-Forwarded-For (xff_header_processing_mode = "append", got ${JSON.stringify(mode)})`);
  if (lb?.enable_xff_client_port !== undefined && lb.enable_xff_client_port !== false) report('trust-proxy', 'the ALB must not add the client port to X-Forwarded-For (enable_xff_client_port)');
}

// --- Security groups -------------------------------------------------------

interface SgRule {
  where: string;
  group?: string;
  direction: 'ingress' | 'egress';
  protocol: unknown;
  from: unknown;
  to: unknown;
  /** CIDR blocks and prefix lists: sources or destinations that are not security groups. */
  networks: string[];
  peers: string[];
  /** The resource (or inline block) the rule is, for its count/for_each and port expressions. */
  block: Block;
}

/** Every rule, whichever of Terraform's three ways of writing one it uses. */
function securityGroupRules(config: TerraformConfig): SgRule[] {
  const rules: SgRule[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    for (const [name, rule] of resources(config, `aws_vpc_security_group_${direction}_rule`)) {
      // One rule per for_each element: each.value is an element of the for_each expression.
      const network = (value: unknown) => (value === '${each.value}' && rule.for_each !== undefined ? rule.for_each : value);
      rules.push({
        where: `aws_vpc_security_group_${direction}_rule.${name}`,
        group: namesOf(rule.security_group_id, 'aws_security_group')[0],
        direction,
        protocol: rule.ip_protocol,
        from: resolve(config, rule.from_port),
        to: resolve(config, rule.to_port),
        networks: [rule.cidr_ipv4, rule.cidr_ipv6, rule.prefix_list_id]
          .filter((n) => n !== undefined && n !== null)
          .map(network)
          .map(String),
        peers: namesOf(rule.referenced_security_group_id, 'aws_security_group'),
        block: rule,
      });
    }
  }
  for (const [name, rule] of resources(config, 'aws_security_group_rule')) {
    rules.push({
      where: `aws_security_group_rule.${name}`,
      group: namesOf(rule.security_group_id, 'aws_security_group')[0],
      direction: rule.type === 'egress' ? 'egress' : 'ingress',
      protocol: rule.protocol,
      from: resolve(config, rule.from_port),
      to: resolve(config, rule.to_port),
      networks: [...asList(rule.cidr_blocks), ...asList(rule.ipv6_cidr_blocks), ...asList(rule.prefix_list_ids)].map(String),
      peers: rule.self === true ? [] : namesOf(rule.source_security_group_id, 'aws_security_group'),
      block: rule,
    });
  }
  for (const [group, sg] of resources(config, 'aws_security_group')) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of all(sg[direction])) {
        rules.push({
          where: `aws_security_group.${group} inline ${direction}`,
          group,
          direction,
          protocol: rule.protocol,
          from: resolve(config, rule.from_port),
          to: resolve(config, rule.to_port),
          networks: [...asList(rule.cidr_blocks), ...asList(rule.ipv6_cidr_blocks), ...asList(rule.prefix_list_ids)].map(String),
          peers: namesOf(rule.security_groups, 'aws_security_group'),
          block: rule,
        });
      }
    }
  }
  return rules;
}

function isPort(rule: SgRule, port: number): boolean {
  return String(rule.protocol).toLowerCase() === 'tcp' && rule.from === port && rule.to === port;
}

function checkSecurityGroups(config: TerraformConfig, groups: { alb?: string; tasks?: string; rds?: string }, report: Report): void {
  const { alb, tasks, rds } = groups;
  if (!alb) report('sg-alb', 'the ALB has no security group of this stack');
  if (!tasks) report('sg-tasks', 'the service has no security group of this stack');
  if (!rds) report('sg-rds', 'the database has no security group of this stack');
  if (!alb || !tasks || !rds) return;
  if (new Set([alb, tasks, rds]).size !== 3) {
    report('sg-tasks', `the ALB, the tasks and RDS must each have their own security group (got ${JSON.stringify(groups)})`);
    return;
  }
  const rules = securityGroupRules(config);
  const of = (group: string, direction: SgRule['direction']) => rules.filter((r) => r.group === group && r.direction === direction);
  // A port that resolved to an expression is shown as written (e.g. local.redis_port), not as the expression.
  const port = (resolved: unknown, raw: unknown) => String(typeof resolved === 'string' && resolved.startsWith('${') ? raw : resolved);
  const describe = (rule: SgRule) =>
    `${rule.where} (${String(rule.protocol)} ${port(rule.from, rule.block.from_port)}-${port(rule.to, rule.block.to_port)}, networks ${JSON.stringify(rule.networks)}, groups ${JSON.stringify(rule.peers)})`;

  for (const rule of rules) {
    if (rule.direction === 'ingress' && rule.group !== alb && rule.networks.some((n) => WORLD.includes(n))) {
      report('sg-open-ingress', `${describe(rule)} opens a non-ALB security group to the internet`);
    }
  }

  const albIngress = of(alb, 'ingress');
  for (const rule of albIngress) {
    const ok = (isPort(rule, 80) || isPort(rule, 443)) && rule.peers.length === 0 && rule.networks.length > 0 && rule.networks.every((n) => WORLD.includes(n));
    if (!ok) report('sg-alb', `ALB ingress may only be 80/443 from 0.0.0.0/0: ${describe(rule)}`);
  }
  if (!albIngress.some((rule) => isPort(rule, 80))) report('sg-alb', 'the ALB security group has no HTTP (80) ingress');
  for (const rule of of(alb, 'egress')) {
    if (!isPort(rule, CONTAINER_PORT) || rule.networks.length > 0 || rule.peers.join() !== tasks) report('sg-alb', `ALB egress may only go to the tasks on ${CONTAINER_PORT}: ${describe(rule)}`);
  }

  const tasksIngress = of(tasks, 'ingress');
  if (tasksIngress.length === 0) report('sg-tasks', 'the tasks security group has no ingress from the ALB');
  for (const rule of tasksIngress) {
    if (!isPort(rule, CONTAINER_PORT) || rule.networks.length > 0 || rule.peers.join() !== alb) report('sg-tasks', `tasks ingress may only be ${CONTAINER_PORT} from the ALB security group: ${describe(rule)}`);
  }
  for (const rule of of(tasks, 'egress')) {
    const https = isPort(rule, 443) && rule.peers.length === 0;
    const postgres = isPort(rule, 5432) && rule.networks.length === 0 && rule.peers.join() === rds;
    // The shared rate-limit Redis: only with var.redis_url, on its port, inside the VPC.
    const redis =
      String(rule.protocol).toLowerCase() === 'tcp' &&
      rule.from === rule.to &&
      expandedRefs(config, rule.block.from_port).includes('var.redis_url') &&
      onlyWith(config, rule.block, 'redis_url') &&
      rule.peers.length === 0 &&
      rule.networks.length > 0 &&
      vpcCidrProblems(config, rule.networks).length === 0;
    if (!https && !postgres && !redis) {
      report('sg-tasks', `tasks egress may only be 443 (AWS APIs), 5432 to the RDS security group, or the port of var.redis_url to the VPC when it is set: ${describe(rule)}`);
    }
  }

  const rdsIngress = of(rds, 'ingress');
  if (rdsIngress.length === 0) report('sg-rds', 'the RDS security group has no ingress from the tasks');
  for (const rule of rdsIngress) {
    if (!isPort(rule, 5432) || rule.networks.length > 0 || rule.peers.join() !== tasks) report('sg-rds', `RDS ingress may only be 5432 from the tasks security group: ${describe(rule)}`);
  }
  for (const rule of of(rds, 'egress')) report('sg-rds', `RDS needs no egress: ${describe(rule)}`);
}

// --- IAM -------------------------------------------------------------------

/** The aws_iam_policy_document a policy attribute must be, or undefined (reported) for inline JSON. */
function policyDocument(config: TerraformConfig, value: unknown, where: string, report: Report): Block | undefined {
  const name = typeof value === 'string' ? /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(value)?.[1] : undefined;
  const document = name ? config.data.aws_iam_policy_document?.[name] : undefined;
  if (!document) report('iam-checkable', `${where} must be data.aws_iam_policy_document.<name>.json so its statements can be checked`);
  return document;
}

function checkIam(config: TerraformConfig, taskDefinition: TaskDefinitionFacts, container: ContainerFacts, report: Report): void {
  for (const [name, document] of Object.entries(config.data.aws_iam_policy_document ?? {})) {
    for (const statement of all(document.statement)) {
      const where = `data.aws_iam_policy_document.${name} statement ${JSON.stringify(statement.sid ?? statement.actions)}`;
      const actions = asList(statement.actions).map(String);
      if (statement.not_actions || statement.not_resources) report('iam-wildcard', `${where} uses not_actions/not_resources`);
      if (actions.some((action) => action.includes('*'))) report('iam-wildcard', `${where} has a wildcard action`);
      if (statement.effect !== 'Deny' && asList(statement.resources).includes('*') && !actions.every((a) => RESOURCE_STAR_ACTIONS.has(a))) {
        report('iam-wildcard', `${where} grants ${JSON.stringify(actions)} on Resource "*"`);
      }
    }
  }
  for (const type of ['aws_iam_policy', 'aws_iam_role_policy']) {
    for (const [name, policy] of resources(config, type)) policyDocument(config, policy.policy, `${type}.${name}.policy`, report);
  }

  const execution = namesOf(taskDefinition.block?.execution_role_arn, 'aws_iam_role')[0];
  const task = namesOf(taskDefinition.block?.task_role_arn, 'aws_iam_role')[0];
  if (!execution || !task || execution === task) {
    report('iam-execution-role', 'the task definition needs its own execution role and a separate task role from this stack');
    return;
  }
  const trustsEcsTasks = (role: string) => {
    const block = config.resources.aws_iam_role?.[role];
    const trust = block ? policyDocument(config, block.assume_role_policy, `aws_iam_role.${role}.assume_role_policy`, report) : undefined;
    return all(trust?.statement).some((s) => all(s.principals).some((p) => p.type === 'Service' && asList(p.identifiers).includes('ecs-tasks.amazonaws.com')));
  };
  if (!trustsEcsTasks(execution)) report('iam-execution-role', `aws_iam_role.${execution} must be assumable by ecs-tasks.amazonaws.com`);
  if (!trustsEcsTasks(task)) report('iam-task-role', `aws_iam_role.${task} must be assumable by ecs-tasks.amazonaws.com`);

  const attachedTo = (role: string) => resources(config, 'aws_iam_role_policy_attachment').filter(([, a]) => mentions(a.role, `aws_iam_role.${role}`));
  const statementsOf = (role: string) =>
    resources(config, 'aws_iam_role_policy')
      .filter(([, p]) => mentions(p.role, `aws_iam_role.${role}`))
      .flatMap(([name, p]) => all(policyDocument(config, p.policy, `aws_iam_role_policy.${name}.policy`, () => undefined)?.statement));

  for (const [name, attachment] of attachedTo(execution)) {
    if (!MANAGED_EXECUTION_POLICY.test(String(attachment.policy_arn))) report('iam-execution-role', `aws_iam_role_policy_attachment.${name}: the execution role may only get AmazonECSTaskExecutionRolePolicy`);
  }
  checkSecretReads(config, statementsOf(execution), container, report);

  for (const [name] of attachedTo(task)) report('iam-task-role', `aws_iam_role_policy_attachment.${name} attaches a managed policy to the task role`);
  const taskRole = config.resources.aws_iam_role?.[task];
  if (taskRole?.managed_policy_arns || taskRole?.inline_policy) report('iam-task-role', 'the task role must not carry managed_policy_arns or inline_policy');
  for (const statement of statementsOf(task)) {
    if (asList(statement.resources).includes('*')) report('iam-task-role', `the task role has a statement on Resource "*": ${JSON.stringify(statement.actions)}`);
  }
}

/**
 * The execution role reads exactly the secrets the container takes: one it
 * cannot read keeps every task from starting, one more is a permission
 * nothing needs. Either the statement's resources are the container's own
 * list (local.<container>.secrets[*].valueFrom, exact by construction) or
 * they name secrets of this stack one by one.
 */
function checkSecretReads(config: TerraformConfig, statements: Block[], container: ContainerFacts, report: Report): void {
  const secretStatements = statements.filter((s) => asList(s.actions).some((a) => String(a).startsWith('secretsmanager:')));
  if (!secretStatements.some((s) => asList(s.actions).includes('secretsmanager:GetSecretValue'))) {
    report('iam-execution-role', "the execution role must allow secretsmanager:GetSecretValue on the container's secrets");
  }
  const granted = new Set<string>();
  const fromContainer = container.local ? `\${local.${container.local}.secrets[*].valueFrom}` : undefined;
  for (const statement of secretStatements) {
    const actions = asList(statement.actions).map(String);
    if (actions.some((a) => a !== 'secretsmanager:GetSecretValue')) report('iam-execution-role', `the execution role may only get secret values, not ${JSON.stringify(actions)}`);
    // The container's own list; when the container cannot be read (reported elsewhere), anything of that form.
    const ownList = fromContainer === undefined ? /^\$\{local\.[\w-]+\.secrets\[\*\]\.valueFrom\}$/.test(String(statement.resources)) : statement.resources === fromContainer;
    if (ownList) {
      for (const entry of container.secrets ?? []) {
        if (entry.secret) granted.add(entry.secret);
        else report('iam-execution-role', `the execution role would read ${JSON.stringify(entry.valueFrom)} (${entry.name}), which is not a secret of this stack`);
      }
      continue;
    }
    const targets = asList(statement.resources);
    if (targets.length === 0) report('iam-execution-role', 'a secretsmanager statement of the execution role has no resources');
    for (const target of targets) {
      const name = typeof target === 'string' ? /^\$\{aws_secretsmanager_secret\.([\w-]+)(?:\[[^\]]*\])?\.arn\}$/.exec(target)?.[1] : undefined;
      if (name && config.resources.aws_secretsmanager_secret?.[name]) granted.add(name);
      else report('iam-execution-role', `the execution role may read ${JSON.stringify(target)}, which is not the ARN of a secret of this stack`);
    }
  }
  // When the container's secrets cannot be read (reported elsewhere), any secret of this stack will do.
  if (!container.secrets) return;
  const taken = new Set(container.secrets.map((entry) => entry.secret).filter((name): name is string => name !== undefined));
  for (const name of taken) {
    if (!granted.has(name)) report('iam-execution-role', `the execution role cannot read aws_secretsmanager_secret.${name}, which the container takes: its tasks would not start`);
  }
  for (const name of granted) {
    if (!taken.has(name)) report('iam-execution-role', `the execution role may read aws_secretsmanager_secret.${name}, which the container does not take`);
  }
}

// --- Autoscaling -----------------------------------------------------------

function checkAutoscaling(config: TerraformConfig, service: string | undefined, report: Report): void {
  const targets = resources(config, 'aws_appautoscaling_target').filter(([, t]) => service !== undefined && mentions(t.resource_id, `aws_ecs_service.${service}`));
  if (targets.length !== 1) {
    report('autoscaling', 'expected one aws_appautoscaling_target for the ECS service');
    return;
  }
  const [name, target] = targets[0];
  if (target.service_namespace !== 'ecs' || target.scalable_dimension !== 'ecs:service:DesiredCount' || !mentions(target.resource_id, 'aws_ecs_cluster')) {
    report('autoscaling', 'the scalable target must be ecs:service:DesiredCount of service/<cluster>/<service>');
  }
  for (const bound of ['min_capacity', 'max_capacity']) {
    const variable = variableOf(target[bound]);
    if (!variable || !(variable in config.variables)) report('autoscaling', `${bound} must come from a variable`);
  }
  const cpuPolicy = resources(config, 'aws_appautoscaling_policy').some(
    ([, p]) =>
      mentions(p.resource_id, `aws_appautoscaling_target.${name}`) &&
      p.policy_type === 'TargetTrackingScaling' &&
      first(first(p.target_tracking_scaling_policy_configuration)?.predefined_metric_specification)?.predefined_metric_type === 'ECSServiceAverageCPUUtilization',
  );
  if (!cpuPolicy) report('autoscaling', 'expected a target-tracking policy on ECSServiceAverageCPUUtilization for the scalable target');
}
