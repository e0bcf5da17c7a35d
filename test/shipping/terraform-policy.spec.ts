import { join } from 'node:path';
import { Block, CONTAINER_PORT, RULES, Rule, SECRET_VARIABLES, TerraformConfig, Violation, checkTerraform, loadTerraform, refsIn, resolve } from './terraform-policy';

/**
 * The Terraform in infra/aws is never planned here (providers cannot be
 * downloaded on the build machines), so these tests are what keeps its wiring
 * honest: terraform-policy.ts parses every *.tf file and checks each rule by
 * following references. The second half breaks a copy of the parsed config in
 * one way per rule and expects that rule to be reported, so a check that
 * cannot fail does not go unnoticed.
 */
const INFRA_DIR = join(__dirname, '..', '..', 'infra', 'aws');

let config: TerraformConfig;

beforeAll(async () => {
  config = await loadTerraform(INFRA_DIR);
});

const render = (violations: Violation[]) => violations.map((v) => `${v.rule}: ${v.message}`);

describe('infra/aws Terraform policy', () => {
  it.each(RULES)('%s: no violations', (rule) => {
    expect(render(checkTerraform(config).filter((v) => v.rule === rule))).toEqual([]);
  });

  // A few of the rules spelt out against the parsed files, for whoever reads this first.
  describe('wiring, read directly', () => {
    const resource = (type: string, name: string): Block => config.resources[type][name];

    it('takes DATABASE_URL, API_KEYS and (when configured) REDIS_URL from secrets, never from the environment', () => {
      const container = config.locals.api_container as Block;
      expect(config.locals.api_secrets).toEqual([
        { name: 'DATABASE_URL', valueFrom: '${aws_secretsmanager_secret.database_url.arn}' },
        { name: 'API_KEYS', valueFrom: '${aws_secretsmanager_secret.api_keys.arn}' },
        // null, and so left out of the container's secrets, without var.redis_url.
        { name: 'REDIS_URL', valueFrom: '${one(aws_secretsmanager_secret.redis_url[*].arn)}' },
      ]);
      expect(container.secrets).toBe('${[for secret in local.api_secrets : secret if secret.valueFrom != null]}');
      expect(resource('aws_secretsmanager_secret', 'redis_url').count).toBe('${local.redis_enabled ? 1 : 0}');
      expect(config.locals.redis_enabled).toBe('${nonsensitive(var.redis_url != "")}');
      expect(config.variables.redis_url).toMatchObject({ type: '${string}', default: '', sensitive: true });
      const names = (container.environment as Block[]).map((e) => e.name);
      for (const name of SECRET_VARIABLES) expect(names).not.toContain(name);
      expect(resource('aws_ecs_task_definition', 'api').container_definitions).toBe('${jsonencode([local.api_container])}');
    });

    it('creates the API_KEYS secret without a value unless var.api_keys is set', () => {
      expect(resource('aws_secretsmanager_secret', 'api_keys')).toMatchObject({ name_prefix: '${var.project}/api-keys-' });
      expect(resource('aws_secretsmanager_secret', 'api_keys')).not.toHaveProperty('count');
      expect(resource('aws_secretsmanager_secret_version', 'api_keys')).toMatchObject({ count: '${var.api_keys == null ? 0 : 1}', secret_string: '${var.api_keys}' });
      expect(config.variables.api_keys).toMatchObject({ type: '${string}', default: null, sensitive: true });
      expect(config.outputs.api_keys_secret_arn.value).toBe('${aws_secretsmanager_secret.api_keys.arn}');
    });

    it('lets the execution role read exactly the secrets the container names', () => {
      const statements = config.data.aws_iam_policy_document.execution.statement as Block[];
      const reads = statements.filter((s) => (s.actions as string[]).some((a) => a.startsWith('secretsmanager:')));
      expect(reads).toEqual([{ sid: 'ReadContainerSecrets', actions: ['secretsmanager:GetSecretValue'], resources: '${local.api_container.secrets[*].valueFrom}' }]);
    });

    it('trusts X-Forwarded-For from the VPC only, created or existing', () => {
      const environment = (config.locals.api_container as Block).environment as Block[];
      expect(environment.filter((e) => e.name === 'TRUST_PROXY')).toEqual([{ name: 'TRUST_PROXY', value: '${join(",", local.vpc_cidr_blocks)}' }]);
      expect(config.locals.vpc_cidr_blocks).toMatch(/^\$\{local\.create_vpc \? \[var\.vpc_cidr\] : \[\s*for \w+ in data\.aws_vpc\.existing\[0\]\.cidr_block_associations : /);
      expect(config.data.aws_vpc.existing).toEqual({ count: '${local.create_vpc ? 0 : 1}', id: '${var.existing_vpc.vpc_id}' });
      expect(resource('aws_lb', 'this')).toMatchObject({ xff_header_processing_mode: 'append', enable_xff_client_port: false });
    });

    it('lets only the tasks reach RDS, and only the ALB reach the tasks', () => {
      expect(resource('aws_vpc_security_group_ingress_rule', 'rds_from_tasks')).toMatchObject({
        security_group_id: '${aws_security_group.rds.id}',
        referenced_security_group_id: '${aws_security_group.tasks.id}',
        from_port: 5432,
        to_port: 5432,
      });
      const fromAlb = resource('aws_vpc_security_group_ingress_rule', 'tasks_from_alb');
      expect(fromAlb.referenced_security_group_id).toBe('${aws_security_group.alb.id}');
      expect(resolve(config, fromAlb.from_port)).toBe(CONTAINER_PORT);
      expect(fromAlb).not.toHaveProperty('cidr_ipv4');
    });

    it('keeps RDS encrypted, private and backed up', () => {
      const db = resource('aws_db_instance', 'this');
      expect(db).toMatchObject({ engine: 'postgres', storage_encrypted: true, publicly_accessible: false });
      expect(resolve(config, db.engine_version)).toBe('15');
      expect(resolve(config, db.backup_retention_period)).toBeGreaterThanOrEqual(7);
      expect(resolve(config, db.deletion_protection)).toBe(true);
      expect(resource('aws_db_subnet_group', 'this').subnet_ids).toBe('${local.private_subnet_ids}');
    });

    it('checks readiness at /health and logs to /ecs/<project>-api', () => {
      expect(resource('aws_lb_target_group', 'api').health_check[0]).toMatchObject({ path: '/health', matcher: '200' });
      expect(resource('aws_cloudwatch_log_group', 'api')).toEqual({ name: '/ecs/${var.project}-api', retention_in_days: '${var.log_retention_days}' });
    });
  });

  it('reads references inside index expressions and nested templates', () => {
    expect(refsIn('${aws_nat_gateway.this[min(count.index, local.nat_gateway_count - 1)].id}')).toEqual(
      expect.arrayContaining(['aws_nat_gateway.this.id', 'local.nat_gateway_count']),
    );
    expect(refsIn('${local.create_vpc ? aws_subnet.private[*].id : var.existing_vpc.private_subnet_ids}')).toEqual([
      'local.create_vpc',
      'aws_subnet.private.id',
      'var.existing_vpc.private_subnet_ids',
    ]);
    expect(refsIn(['arn:${data.aws_partition.current.partition}:ecs:${var.aws_region}:*'])).toEqual(['data.aws_partition.current.partition', 'var.aws_region']);
    expect(refsIn('${local.https ? "redirect" : "forward"}')).toEqual(['local.https']);
  });
});

describe('the policy checks can fail', () => {
  type Mutation = [description: string, expected: Rule[], mutate: (c: TerraformConfig) => void];

  const r = (c: TerraformConfig, type: string, name: string): Block => c.resources[type][name];
  const container = (c: TerraformConfig): Block => c.locals.api_container as Block;
  /** Every secret the container can take (its `secrets` filters out those not created). */
  const secrets = (c: TerraformConfig): Block[] => c.locals.api_secrets as Block[];
  const secretNamed = (c: TerraformConfig, name: string): Block => secrets(c).find((s) => s.name === name) as Block;
  const executionStatement = (c: TerraformConfig, sid: string): Block =>
    (c.data.aws_iam_policy_document.execution.statement as Block[]).find((s) => s.sid === sid) as Block;

  const mutations: Mutation[] = [
    [
      'encryption removed, 5432 opened to the internet, DATABASE_URL moved into environment',
      ['rds-encrypted', 'sg-rds', 'sg-open-ingress', 'secrets-not-in-environment', 'database-url-secret'],
      (c) => {
        delete r(c, 'aws_db_instance', 'this').storage_encrypted;
        c.resources.aws_vpc_security_group_ingress_rule.rds_open = {
          security_group_id: '${aws_security_group.rds.id}',
          ip_protocol: 'tcp',
          from_port: 5432,
          to_port: 5432,
          cidr_ipv4: '0.0.0.0/0',
        };
        container(c).environment.push({ name: 'DATABASE_URL', value: '${aws_secretsmanager_secret_version.database_url.secret_string}' });
        c.locals.api_secrets = secrets(c).filter((s) => s.name !== 'DATABASE_URL');
      },
    ],
    ['aws provider 4.x', ['providers'], (c) => void (c.terraform[0].required_providers[0].aws.version = '~> 4.0')],
    ['a variable without description', ['variables-documented'], (c) => void delete c.variables.project.description],
    ['a variable without type', ['variables-documented'], (c) => void delete c.variables.image_tag.type],
    ['tfvars example names an undeclared variable', ['tfvars-example'], (c) => void (c.tfvarsExample = { ...c.tfvarsExample, region: 'eu-west-1' })],
    ['tfvars example misses a required variable', ['tfvars-example'], (c) => void delete c.tfvarsExample?.image_tag],
    ['tfvars example missing', ['tfvars-example'], (c) => void (c.tfvarsExample = null)],
    ['no alb_url output', ['outputs'], (c) => void delete c.outputs.alb_url],
    ['ecr_repository_url output not the repository URL', ['outputs'], (c) => void (c.outputs.ecr_repository_url.value = '${aws_ecr_repository.api.arn}')],
    [
      'private subnets routed to the internet gateway',
      ['network', 'service', 'rds-private'],
      (c) => void (r(c, 'aws_route_table', 'private').route = [{ cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.this[0].id}' }]),
    ],
    ['ALB in the private subnets', ['alb'], (c) => void (r(c, 'aws_lb', 'this').subnets = '${local.private_subnet_ids}')],
    ['ECR without scan on push', ['ecr'], (c) => void (r(c, 'aws_ecr_repository', 'api').image_scanning_configuration = [{ scan_on_push: false }])],
    [
      'ECR with mutable tags and no lifecycle policy',
      ['ecr'],
      (c) => {
        r(c, 'aws_ecr_repository', 'api').image_tag_mutability = 'MUTABLE';
        delete c.resources.aws_ecr_lifecycle_policy;
      },
    ],
    ['log group renamed', ['log-group'], (c) => void (r(c, 'aws_cloudwatch_log_group', 'api').name = '/app/logs')],
    ['log retention hard-coded', ['log-group'], (c) => void (r(c, 'aws_cloudwatch_log_group', 'api').retention_in_days = 3653)],
    ['task definition not awsvpc', ['task-definition'], (c) => void (r(c, 'aws_ecs_task_definition', 'api').network_mode = 'bridge')],
    ['task cpu hard-coded', ['task-definition'], (c) => void (r(c, 'aws_ecs_task_definition', 'api').cpu = 256)],
    [
      'container definitions as inline jsonencode (unreadable)',
      ['container-definitions-checkable'],
      (c) => void (r(c, 'aws_ecs_task_definition', 'api').container_definitions = '${jsonencode([{ name = "api", environment = [] }])}'),
    ],
    ['container on port 3000', ['container'], (c) => void (container(c).portMappings = [{ containerPort: 3000 }])],
    [
      'health check with curl',
      ['container-health-check'],
      (c) => void (container(c).healthCheck.command = ['CMD-SHELL', 'curl -f http://127.0.0.1:8000/health/live || exit 1']),
    ],
    ['health check of /health (needs the database)', ['container-health-check'], (c) => void (container(c).healthCheck.command[3] = "fetch('http://127.0.0.1:8000/health')")],
    ['logs not sent to CloudWatch', ['container-logs'], (c) => void (container(c).logConfiguration.logDriver = 'json-file')],
    [
      'DATABASE_URL from another secret (which the execution role would then read)',
      ['database-url-secret', 'iam-execution-role'],
      (c) => void (secretNamed(c, 'DATABASE_URL').valueFrom = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:other'),
    ],
    [
      'container secrets built in a way the checks cannot read',
      ['container-definitions-checkable'],
      (c) => void (container(c).secrets = '${concat(local.api_secrets, [])}'),
    ],
    [
      'secret value not built from the RDS instance',
      ['database-url-secret'],
      (c) => void (r(c, 'aws_secretsmanager_secret_version', 'database_url').secret_string = 'postgres://app:${random_password.db.result}@localhost:5432/hr'),
    ],
    ['password in another environment variable', ['secrets-not-in-environment'], (c) => void container(c).environment.push({ name: 'PGPASSWORD', value: '${random_password.db.result}' })],
    ['API_KEYS in the environment', ['secrets-not-in-environment'], (c) => void container(c).environment.push({ name: 'API_KEYS', value: `ops:admin:sha256:${'ab'.repeat(32)}` })],
    ['REDIS_URL in the environment', ['secrets-not-in-environment'], (c) => void container(c).environment.push({ name: 'REDIS_URL', value: '${var.redis_url}' })],
    [
      'a sensitive variable under a harmless name',
      ['secrets-not-in-environment'],
      (c) => void container(c).environment.push({ name: 'RATE_LIMIT_STORE', value: 'redis=${var.redis_url}' }),
    ],
    ['a secret-looking name with a literal value', ['secrets-not-in-environment'], (c) => void container(c).environment.push({ name: 'SESSION_SECRET', value: 'hunter2' })],
    ['API_KEYS not taken by the container', ['api-keys-secret'], (c) => void (c.locals.api_secrets = secrets(c).filter((s) => s.name !== 'API_KEYS'))],
    [
      'API_KEYS only when a secret exists (tasks would start without keys, and fail)',
      ['api-keys-secret'],
      (c) => {
        secretNamed(c, 'API_KEYS').valueFrom = '${one(aws_secretsmanager_secret.api_keys[*].arn)}';
        r(c, 'aws_secretsmanager_secret', 'api_keys').count = '${var.api_keys == null ? 0 : 1}';
      },
    ],
    ['API_KEYS value always written by Terraform', ['api-keys-secret'], (c) => void delete r(c, 'aws_secretsmanager_secret_version', 'api_keys').count],
    [
      'API_KEYS value hard-coded',
      ['api-keys-secret'],
      (c) => void (r(c, 'aws_secretsmanager_secret_version', 'api_keys').secret_string = `ops:admin:sha256:${'ab'.repeat(32)}`),
    ],
    ['api_keys variable not sensitive', ['api-keys-secret'], (c) => void delete c.variables.api_keys.sensitive],
    ['no output with the API_KEYS secret ARN', ['api-keys-secret'], (c) => void delete c.outputs.api_keys_secret_arn],
    ['no redis_url variable', ['redis-url-secret'], (c) => void delete c.variables.redis_url],
    ['redis_url not sensitive', ['redis-url-secret'], (c) => void (c.variables.redis_url.sensitive = false)],
    ['REDIS_URL not taken by the container', ['redis-url-secret'], (c) => void (c.locals.api_secrets = secrets(c).filter((s) => s.name !== 'REDIS_URL'))],
    ['REDIS_URL secret created without var.redis_url', ['redis-url-secret'], (c) => void delete r(c, 'aws_secretsmanager_secret', 'redis_url').count],
    [
      'REDIS_URL named even without var.redis_url (unfiltered list)',
      ['redis-url-secret'],
      (c) => void (container(c).secrets = structuredClone(secrets(c))),
    ],
    [
      'REDIS_URL secret holding something else',
      ['redis-url-secret'],
      (c) => void (r(c, 'aws_secretsmanager_secret_version', 'redis_url').secret_string = 'redis://cache.internal:6379'),
    ],
    ['no TRUST_PROXY', ['trust-proxy'], (c) => void (container(c).environment = container(c).environment.filter((e: Block) => e.name !== 'TRUST_PROXY'))],
    [
      'TRUST_PROXY=true (clients choose their own address)',
      ['trust-proxy'],
      (c) => void (container(c).environment.find((e: Block) => e.name === 'TRUST_PROXY').value = 'true'),
    ],
    [
      'TRUST_PROXY ignores existing_vpc',
      ['trust-proxy'],
      (c) => void (container(c).environment.find((e: Block) => e.name === 'TRUST_PROXY').value = '${var.vpc_cidr}'),
    ],
    [
      'TRUST_PROXY includes the internet',
      ['trust-proxy'],
      (c) => void (container(c).environment.find((e: Block) => e.name === 'TRUST_PROXY').value = '${join(",", concat(local.vpc_cidr_blocks, ["0.0.0.0/0"]))}'),
    ],
    ['ALB passes the client X-Forwarded-For through', ['trust-proxy'], (c) => void (r(c, 'aws_lb', 'this').xff_header_processing_mode = 'preserve')],
    ['ALB adds the client port to X-Forwarded-For', ['trust-proxy'], (c) => void (r(c, 'aws_lb', 'this').enable_xff_client_port = true)],
    ['tasks with public IPs', ['service'], (c) => void (r(c, 'aws_ecs_service', 'api').network_configuration[0].assign_public_ip = true)],
    ['circuit breaker without rollback', ['service'], (c) => void (r(c, 'aws_ecs_service', 'api').deployment_circuit_breaker = [{ enable: true, rollback: false }])],
    ['service detached from the target group', ['service'], (c) => void delete r(c, 'aws_ecs_service', 'api').load_balancer],
    ['internal ALB', ['alb'], (c) => void (r(c, 'aws_lb', 'this').internal = true)],
    [
      'port 80 never redirects to HTTPS',
      ['alb-listeners'],
      (c) => void (r(c, 'aws_lb_listener', 'http').default_action = [{ type: 'forward', target_group_arn: '${aws_lb_target_group.api.arn}' }]),
    ],
    ['HTTPS listener always created', ['alb-listeners'], (c) => void delete r(c, 'aws_lb_listener', 'https').count],
    ['target group health check on /', ['target-group'], (c) => void (r(c, 'aws_lb_target_group', 'api').health_check[0].path = '/')],
    ['target group of instances', ['target-group'], (c) => void (r(c, 'aws_lb_target_group', 'api').target_type = 'instance')],
    ['MySQL', ['rds-engine'], (c) => void (r(c, 'aws_db_instance', 'this').engine = 'mysql')],
    ['PostgreSQL 16', ['rds-engine'], (c) => void (c.variables.db_engine_version.default = '16')],
    ['unencrypted storage', ['rds-encrypted'], (c) => void (r(c, 'aws_db_instance', 'this').storage_encrypted = false)],
    ['publicly accessible RDS', ['rds-private'], (c) => void (r(c, 'aws_db_instance', 'this').publicly_accessible = true)],
    ['DB subnet group in public subnets', ['rds-private'], (c) => void (r(c, 'aws_db_subnet_group', 'this').subnet_ids = '${aws_subnet.public[*].id}')],
    ['one day of backups', ['rds-backups'], (c) => void (c.variables.db_backup_retention_days.default = 1)],
    ['backup retention without validation', ['rds-backups'], (c) => void delete c.variables.db_backup_retention_days.validation],
    ['no deletion protection', ['rds-deletion-protection'], (c) => void (c.variables.db_deletion_protection.default = false)],
    ['final snapshot skipped by default', ['rds-final-snapshot'], (c) => void (c.variables.db_skip_final_snapshot.default = true)],
    ['hard-coded password', ['rds-password'], (c) => void (r(c, 'aws_db_instance', 'this').password = 'change-me-please')],
    [
      'SSH open on the ALB',
      ['sg-alb'],
      (c) =>
        void (c.resources.aws_vpc_security_group_ingress_rule.alb_ssh = {
          security_group_id: '${aws_security_group.alb.id}',
          ip_protocol: 'tcp',
          from_port: 22,
          to_port: 22,
          cidr_ipv4: '0.0.0.0/0',
        }),
    ],
    ['ALB egress to anywhere', ['sg-alb'], (c) => void (r(c, 'aws_vpc_security_group_egress_rule', 'alb_to_tasks').cidr_ipv4 = '0.0.0.0/0')],
    [
      'tasks reachable from a CIDR instead of the ALB',
      ['sg-tasks'],
      (c) => {
        const rule = r(c, 'aws_vpc_security_group_ingress_rule', 'tasks_from_alb');
        delete rule.referenced_security_group_id;
        rule.cidr_ipv4 = '10.0.0.0/8';
      },
    ],
    ['tasks egress on every port', ['sg-tasks'], (c) => void (r(c, 'aws_vpc_security_group_egress_rule', 'tasks_https').ip_protocol = '-1')],
    ['Redis egress to the internet', ['sg-tasks'], (c) => void (r(c, 'aws_vpc_security_group_egress_rule', 'tasks_to_redis').cidr_ipv4 = '0.0.0.0/0')],
    [
      'Redis egress without var.redis_url',
      ['sg-tasks'],
      (c) => void (r(c, 'aws_vpc_security_group_egress_rule', 'tasks_to_redis').for_each = '${toset(local.vpc_cidr_blocks)}'),
    ],
    ['Redis egress on another port', ['sg-tasks'], (c) => void (r(c, 'aws_vpc_security_group_egress_rule', 'tasks_to_redis').to_port = 6380)],
    [
      'tasks open to the internet through an inline rule',
      ['sg-tasks', 'sg-open-ingress'],
      (c) => void (r(c, 'aws_security_group', 'tasks').ingress = [{ protocol: 'tcp', from_port: 8000, to_port: 8000, cidr_blocks: ['0.0.0.0/0'] }]),
    ],
    [
      'RDS reachable from the VPC CIDR through a legacy rule',
      ['sg-rds'],
      (c) =>
        void (c.resources.aws_security_group_rule = {
          db_vpc: { type: 'ingress', security_group_id: '${aws_security_group.rds.id}', protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_blocks: ['10.40.0.0/16'] },
        }),
    ],
    ['RDS ingress from the ALB', ['sg-rds'], (c) => void (r(c, 'aws_vpc_security_group_ingress_rule', 'rds_from_tasks').referenced_security_group_id = '${aws_security_group.alb.id}')],
    [
      'policy as inline JSON',
      ['iam-checkable', 'iam-execution-role'],
      (c) => void (r(c, 'aws_iam_role_policy', 'execution').policy = '${jsonencode({ Statement = [{ Action = "*", Resource = "*" }] })}'),
    ],
    ['wildcard secretsmanager action', ['iam-wildcard', 'iam-execution-role'], (c) => void (executionStatement(c, 'ReadContainerSecrets').actions = ['secretsmanager:*'])],
    ['logs on every log group', ['iam-wildcard'], (c) => void (executionStatement(c, 'WriteThisLogGroup').resources = ['*'])],
    ['secret readable on "*"', ['iam-execution-role', 'iam-wildcard'], (c) => void (executionStatement(c, 'ReadContainerSecrets').resources = ['*'])],
    [
      'secret statement on a different secret',
      ['iam-execution-role'],
      (c) => void (executionStatement(c, 'ReadContainerSecrets').resources = ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:other']),
    ],
    [
      'execution role reads DATABASE_URL only (tasks could not get API_KEYS)',
      ['iam-execution-role'],
      (c) => void (executionStatement(c, 'ReadContainerSecrets').resources = ['${aws_secretsmanager_secret.database_url.arn}']),
    ],
    [
      'execution role reads a secret the container does not take',
      ['iam-execution-role'],
      (c) => {
        c.resources.aws_secretsmanager_secret.other = { name_prefix: '${var.project}/other-' };
        executionStatement(c, 'ReadContainerSecrets').resources = [
          '${aws_secretsmanager_secret.database_url.arn}',
          '${aws_secretsmanager_secret.api_keys.arn}',
          '${aws_secretsmanager_secret.redis_url[0].arn}',
          '${aws_secretsmanager_secret.other.arn}',
        ];
      },
    ],
    ['execution role may also write secrets', ['iam-execution-role'], (c) => void executionStatement(c, 'ReadContainerSecrets').actions.push('secretsmanager:PutSecretValue')],
    [
      'execution role given a broad managed policy',
      ['iam-execution-role'],
      (c) =>
        void (c.resources.aws_iam_role_policy_attachment = {
          exec_admin: { role: '${aws_iam_role.execution.name}', policy_arn: 'arn:aws:iam::aws:policy/SecretsManagerReadWrite' },
        }),
    ],
    ['task role is the execution role', ['iam-execution-role'], (c) => void (r(c, 'aws_ecs_task_definition', 'api').task_role_arn = '${aws_iam_role.execution.arn}')],
    [
      'administrator task role',
      ['iam-task-role'],
      (c) =>
        void (c.resources.aws_iam_role_policy_attachment = {
          task_admin: { role: '${aws_iam_role.task.name}', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        }),
    ],
    ['autoscaling on request count', ['autoscaling'], (c) => {
      const configuration = r(c, 'aws_appautoscaling_policy', 'cpu').target_tracking_scaling_policy_configuration[0];
      configuration.predefined_metric_specification[0].predefined_metric_type = 'ALBRequestCountPerTarget';
    }],
    ['no autoscaling target', ['autoscaling'], (c) => void delete c.resources.aws_appautoscaling_target],
  ];

  // Exactly the expected rules: a mutation must be caught by its rule, and must
  // not set off unrelated ones (a noisy check would hide the next real problem).
  it.each(mutations)('%s', (_description, expected, mutate) => {
    const broken = structuredClone(config);
    mutate(broken);
    const reported = [...new Set(checkTerraform(broken).map((v) => v.rule))].sort();
    expect(reported).toEqual([...expected].sort());
  });

  it('breaks every rule at least once', () => {
    const exercised = new Set(mutations.flatMap(([, expected]) => expected));
    expect(RULES.filter((rule) => !exercised.has(rule))).toEqual([]);
  });
});
