locals {
  container_name = "api"
  container_port = 8000
  image          = "${aws_ecr_repository.api.repository_url}:${var.image_tag}"

  # Every secret the container can take, by environment variable. An entry
  # whose secret this stack does not create (REDIS_URL without var.redis_url)
  # has valueFrom = null and is left out of the container's `secrets` below;
  # the execution role may read exactly the secrets that remain (iam.tf).
  api_secrets = [
    { name = "DATABASE_URL", valueFrom = aws_secretsmanager_secret.database_url.arn },
    # Required in production: a task does not start until the secret has a value.
    { name = "API_KEYS", valueFrom = aws_secretsmanager_secret.api_keys.arn },
    { name = "REDIS_URL", valueFrom = one(aws_secretsmanager_secret.redis_url[*].arn) },
  ]

  # The container definition is a local object, not inline JSON, so that
  # test/shipping/terraform-policy.spec.ts can read its fields (hcl2json keeps
  # object literals as objects but turns jsonencode(...) into an opaque string).
  api_container = {
    name      = local.container_name
    image     = local.image
    essential = true

    portMappings = [
      { containerPort = local.container_port, hostPort = local.container_port, protocol = "tcp" },
    ]

    # Nothing secret here: this list is visible to anyone who can describe the task definition.
    environment = [
      { name = "NODE_ENV", value = "production" },
      { name = "HOST", value = "0.0.0.0" },
      { name = "PORT", value = tostring(local.container_port) },
      { name = "LOG_LEVEL", value = var.log_level },
      { name = "MIGRATIONS_RUN", value = tostring(var.migrations_run_on_start) },
      # Requests reach the tasks only through the ALB (security_groups.tf), whose
      # nodes have addresses in the VPC and append the client's address to
      # X-Forwarded-For (alb.tf). Trusting exactly those addresses makes the
      # service take the client's address (rate limits per IP) from the header,
      # and never an address a client wrote into it itself.
      { name = "TRUST_PROXY", value = join(",", local.vpc_cidr_blocks) },
    ]

    # Resolved by the ECS agent at task start (execution role), passed to the
    # process as environment variables: DATABASE_URL, API_KEYS, and REDIS_URL
    # when var.redis_url is set.
    secrets = [for secret in local.api_secrets : secret if secret.valueFrom != null]

    # Liveness only (no database): a database outage must not make ECS kill
    # every task. The slim image has no curl, so Node's fetch asks. The server
    # only listens once start-up migrations are done, so the start period
    # follows the ALB grace period (ECS caps it at 300 s).
    healthCheck = {
      command     = ["CMD", "node", "-e", "fetch('http://127.0.0.1:8000/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
      interval    = 15
      timeout     = 5
      retries     = 3
      startPeriod = min(var.health_check_grace_period_seconds, 300)
    }

    # On SIGTERM the service lets in-flight requests and ingestions finish for
    # server.shutdown_grace_ms (20 s by default), then gives stopped ones up to
    # 10 s to roll back: this wait before SIGKILL must exceed both together.
    stopTimeout = 40

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.api.name
        "awslogs-region"        = var.aws_region
        "awslogs-stream-prefix" = local.container_name
      }
    }
  }
}

resource "aws_ecs_cluster" "this" {
  name = var.project

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "${var.project}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([local.api_container])
}

resource "aws_ecs_service" "api" {
  name             = "${var.project}-api"
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.api.arn
  launch_type      = "FARGATE"
  platform_version = "LATEST"
  desired_count    = var.min_capacity

  # Rolling update: new tasks start beside the old ones, which keep serving
  # until the new ones pass the ALB health check.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds

  # A release whose tasks keep failing is rolled back to the last good task
  # definition instead of retrying forever.
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = local.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = local.container_name
    container_port   = local.container_port
  }

  enable_ecs_managed_tags = true
  propagate_tags          = "SERVICE"

  # The target group must belong to a load balancer before a service can use
  # it, and the first tasks need the execution role's permissions in place.
  depends_on = [aws_lb_listener.http, aws_iam_role_policy.execution]

  lifecycle {
    # Autoscaling owns the running count after creation.
    ignore_changes = [desired_count]
  }
}
