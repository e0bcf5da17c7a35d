# Two roles, as ECS intends: the execution role is used by the Fargate agent
# to start a task (pull the image, resolve the container's secrets, ship
# logs); the task role is what the application's code could use, and the
# application calls no AWS API, so it gets no permissions at all.

data "aws_iam_policy_document" "execution_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name_prefix        = "${var.project}-exec-"
  description        = "ECS agent: pull the ${var.project} image, read its secrets, write its logs"
  assume_role_policy = data.aws_iam_policy_document.execution_assume.json
}

# A custom policy instead of the managed AmazonECSTaskExecutionRolePolicy,
# whose ECR and Logs actions apply to every repository and log group.
data "aws_iam_policy_document" "execution" {
  statement {
    sid = "EcrAuthToken"
    # The one ECR action without resource-level permissions: AWS only accepts "*" here.
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPullThisRepository"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [aws_ecr_repository.api.arn]
  }

  statement {
    sid       = "WriteThisLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.api.arn}:*"]
  }

  # Exactly the secrets the container names (ecs.tf): DATABASE_URL, API_KEYS,
  # and REDIS_URL when it is configured. The secrets use the AWS managed key
  # aws/secretsmanager, so no kms:Decrypt is needed.
  statement {
    sid       = "ReadContainerSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.api_container.secrets[*].valueFrom
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-image-read-secret-write-logs"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# The conditions stop another account's ECS tasks from assuming this role
# (confused deputy), as the ECS task role documentation recommends.
data "aws_iam_policy_document" "task_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ecs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "task" {
  name_prefix        = "${var.project}-task-"
  description        = "Role of the ${var.project} API's code: no permissions (the service calls no AWS API)"
  assume_role_policy = data.aws_iam_policy_document.task_assume.json
}
