locals {
  https_enabled = var.certificate_arn != null
}

resource "aws_lb" "this" {
  name               = "${var.project}-alb"
  load_balancer_type = "application"
  internal           = false
  subnets            = local.public_subnet_ids
  security_groups    = [aws_security_group.alb.id]

  idle_timeout               = var.alb_idle_timeout
  drop_invalid_header_fields = true
  enable_deletion_protection = var.alb_deletion_protection

  # The AWS defaults, spelt out because the service relies on them (TRUST_PROXY
  # in ecs.tf): the ALB appends the address it received the request from to
  # X-Forwarded-For (with "preserve" a client could name any address), without
  # a port, which the service would not parse as an address.
  xff_header_processing_mode = "append"
  enable_xff_client_port     = false
}

resource "aws_lb_target_group" "api" {
  name        = "${var.project}-api"
  target_type = "ip" # awsvpc tasks register by ENI address
  protocol    = "HTTP"
  port        = local.container_port
  vpc_id      = local.vpc_id

  # ECS stops a task (SIGTERM) only after it has drained from the target group
  # for this long. 30 s instead of the default 300 s keeps deployments short;
  # a synchronous ingest of a large file should use async=true anyway.
  deregistration_delay = 30

  # Readiness, not liveness: /health answers 503 while the database is down or
  # migrations are pending, so a task only gets traffic once it can serve it.
  health_check {
    path                = "/health"
    matcher             = "200"
    protocol            = "HTTP"
    port                = "traffic-port"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# One port-80 listener whose action depends on the certificate: a single
# resource, so turning HTTPS on or off updates it in place instead of
# replacing one listener with another on the same port.
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = local.https_enabled ? "redirect" : "forward"
    target_group_arn = local.https_enabled ? null : aws_lb_target_group.api.arn

    dynamic "redirect" {
      for_each = local.https_enabled ? [1] : []
      content {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }
}

resource "aws_lb_listener" "https" {
  count = local.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}
