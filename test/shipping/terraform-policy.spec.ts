import { join } from 'node:path';
import { Block, CONTAINER_PORT, RULES, Rule, TerraformConfig, Violation, checkTerraform, loadTerraform, refsIn, resolve } from './terraform-policy';

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

    it('takes DATABASE_URL from the secret, never from the environment', () => {
      const container = config.locals.api_container as Block;
      expect(container.secrets).toEqual([{ name: 'DATABASE_URL', valueFrom: '${aws_secretsmanager_secret.database_url.arn}' }]);
      expect((container.environment as Block[]).map((e) => e.name)).not.toContain('DATABASE_URL');
      expect(resource('aws_ecs_task_definition', 'api').container_definitions).toBe('${jsonencode([local.api_container])}');
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
  const executionStatement = (c: TerraformConfig, sid: string): Block =>
    (c.data.aws_iam_policy_document.execution.statement as Block[]).find((s) => s.sid === sid) as Block;

  const mutations: Mutation[] = [
    [
      'encryption removed, 5432 opened to the internet, DATABASE_URL moved into environment',
      ['rds-encrypted', 'sg-rds', 'sg-open-ingress', 'database-url-not-in-environment', 'database-url-secret'],
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
        container(c).secrets = [];
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
    ['DATABASE_URL from another secret', ['database-url-secret'], (c) => void (container(c).secrets[0].valueFrom = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:other')],
    [
      'secret value not built from the RDS instance',
      ['database-url-secret'],
      (c) => void (r(c, 'aws_secretsmanager_secret_version', 'database_url').secret_string = 'postgres://app:${random_password.db.result}@localhost:5432/hr'),
    ],
    ['password in another environment variable', ['database-url-not-in-environment'], (c) => void container(c).environment.push({ name: 'PGPASSWORD', value: '${random_password.db.result}' })],
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
    ['wildcard secretsmanager action', ['iam-wildcard', 'iam-execution-role'], (c) => void (executionStatement(c, 'ReadDatabaseUrlSecret').actions = ['secretsmanager:*'])],
    ['logs on every log group', ['iam-wildcard'], (c) => void (executionStatement(c, 'WriteThisLogGroup').resources = ['*'])],
    ['secret readable on "*"', ['iam-execution-role', 'iam-wildcard'], (c) => void (executionStatement(c, 'ReadDatabaseUrlSecret').resources = ['*'])],
    [
      'secret statement on a different secret',
      ['iam-execution-role'],
      (c) => void (executionStatement(c, 'ReadDatabaseUrlSecret').resources = ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:other']),
    ],
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
