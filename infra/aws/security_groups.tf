# Three groups chained by reference: internet -> ALB -> tasks -> RDS. Rules are
# separate aws_vpc_security_group_*_rule resources because the groups refer to
# each other (inline rules would form a cycle), and a group without inline
# egress has AWS's default allow-all egress rule removed by Terraform.

resource "aws_security_group" "alb" {
  name_prefix = "${var.project}-alb-"
  description = "ALB: HTTP/HTTPS from the internet, to the API tasks only"
  vpc_id      = local.vpc_id

  tags = { Name = "${var.project}-alb" }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "tasks" {
  name_prefix = "${var.project}-tasks-"
  description = "API tasks: port 8000 from the ALB; out to AWS APIs (443) and RDS (5432)"
  vpc_id      = local.vpc_id

  tags = { Name = "${var.project}-tasks" }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "rds" {
  name_prefix = "${var.project}-rds-"
  description = "RDS PostgreSQL: 5432 from the API tasks only"
  vpc_id      = local.vpc_id

  tags = { Name = "${var.project}-rds" }

  lifecycle {
    create_before_destroy = true
  }
}

# --- ALB ---------------------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from anywhere (redirected to HTTPS when a certificate is set)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  count = local.https_enabled ? 1 : 0

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from anywhere"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_tasks" {
  security_group_id            = aws_security_group.alb.id
  description                  = "Requests and health checks to the API tasks"
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
  referenced_security_group_id = aws_security_group.tasks.id
}

# --- Tasks -------------------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "tasks_from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "API port from the ALB only"
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
  referenced_security_group_id = aws_security_group.alb.id
}

# ECR (API and S3 image layers), Secrets Manager and CloudWatch Logs have no
# fixed addresses, so 443 goes to anywhere (through NAT). DNS needs no rule:
# security groups do not filter the VPC's Amazon-provided resolver.
resource "aws_vpc_security_group_egress_rule" "tasks_https" {
  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS to AWS APIs (ECR, S3 layers, Secrets Manager, CloudWatch Logs)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "tasks_to_rds" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "PostgreSQL to the RDS instance"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.rds.id
}

# Only with var.redis_url: the Redis holding the shared rate-limit counters, on
# the URL's port, anywhere in the VPC (where ElastiCache runs; a Redis elsewhere
# needs a rule of its own). Without this rule the service could not reach it,
# and while Redis is unreachable it enforces no rate limits at all. The Redis's
# own security group must admit this group (output tasks_security_group_id).
locals {
  # The port of var.redis_url (6379 when it names none); not a secret.
  redis_port = local.redis_enabled ? nonsensitive(tonumber(coalesce(regex("^rediss?://(?:[^/?#]*@)?(?:\\[[^\\]]*\\]|[^:/?#]*)(?::([0-9]+))?", var.redis_url)[0], "6379"))) : null
}

resource "aws_vpc_security_group_egress_rule" "tasks_to_redis" {
  for_each = local.redis_enabled ? toset(local.vpc_cidr_blocks) : toset([])

  security_group_id = aws_security_group.tasks.id
  description       = "Redis (shared rate-limit counters) in the VPC"
  ip_protocol       = "tcp"
  from_port         = local.redis_port
  to_port           = local.redis_port
  cidr_ipv4         = each.value
}

# --- RDS (no egress: it only answers) ------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "rds_from_tasks" {
  security_group_id            = aws_security_group.rds.id
  description                  = "PostgreSQL from the API tasks only"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.tasks.id
}
