# The stack creates its own VPC unless var.existing_vpc names one. Everything
# else reads the three locals below, so both paths wire the same way: the ALB
# in public subnets, tasks and RDS in private ones.
locals {
  create_vpc = var.existing_vpc == null
  azs        = slice(data.aws_availability_zones.available.names, 0, 2)

  vpc_id             = local.create_vpc ? aws_vpc.this[0].id : var.existing_vpc.vpc_id
  public_subnet_ids  = local.create_vpc ? aws_subnet.public[*].id : var.existing_vpc.public_subnet_ids
  private_subnet_ids = local.create_vpc ? aws_subnet.private[*].id : var.existing_vpc.private_subnet_ids

  nat_gateway_count = local.create_vpc ? (var.nat_gateway_per_az ? length(local.azs) : 1) : 0

  # Every IPv4 block of the VPC, created or existing (whose subnets may also be
  # in secondary blocks). The ALB's nodes take their addresses from these, so
  # they are the proxies whose X-Forwarded-For the service trusts (TRUST_PROXY
  # in ecs.tf); a Redis for the rate limits is looked for here too
  # (security_groups.tf).
  vpc_cidr_blocks = local.create_vpc ? [var.vpc_cidr] : [
    for association in data.aws_vpc.existing[0].cidr_block_associations : association.cidr_block if association.state == "associated"
  ]
}

# Only read with existing_vpc, for its address blocks.
data "aws_vpc" "existing" {
  count = local.create_vpc ? 0 : 1

  id = var.existing_vpc.vpc_id
}

resource "aws_vpc" "this" {
  count = local.create_vpc ? 1 : 0

  cidr_block = var.vpc_cidr
  # Needed for the RDS endpoint name and the AWS service endpoints to resolve inside the VPC.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = var.project }
}

# Strips the rules AWS puts in every new VPC's default security group, so
# nothing that lands in it by accident is reachable or can reach out.
resource "aws_default_security_group" "this" {
  count = local.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id
}

resource "aws_internet_gateway" "this" {
  count = local.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = { Name = var.project }
}

resource "aws_subnet" "public" {
  count = local.create_vpc ? length(local.azs) : 0

  vpc_id            = aws_vpc.this[0].id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 24 - tonumber(split("/", var.vpc_cidr)[1]), count.index)
  # Only the ALB and the NAT gateways live here, and they get their addresses
  # explicitly; nothing should pick up a public IP by default.
  map_public_ip_on_launch = false

  tags = { Name = "${var.project}-public-${local.azs[count.index]}", Tier = "public" }
}

resource "aws_subnet" "private" {
  count = local.create_vpc ? length(local.azs) : 0

  vpc_id            = aws_vpc.this[0].id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 24 - tonumber(split("/", var.vpc_cidr)[1]), count.index + 10)

  tags = { Name = "${var.project}-private-${local.azs[count.index]}", Tier = "private" }
}

resource "aws_route_table" "public" {
  count = local.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this[0].id
  }

  tags = { Name = "${var.project}-public" }
}

resource "aws_route_table_association" "public" {
  count = local.create_vpc ? length(local.azs) : 0

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count = local.nat_gateway_count

  domain = "vpc"
  tags   = { Name = "${var.project}-nat-${count.index}" }

  depends_on = [aws_internet_gateway.this]
}

# Tasks in private subnets reach ECR, Secrets Manager and CloudWatch Logs
# through NAT (interface VPC endpoints would avoid it, at a per-AZ hourly cost).
resource "aws_nat_gateway" "this" {
  count = local.nat_gateway_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = { Name = "${var.project}-nat-${count.index}" }

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "private" {
  count = local.create_vpc ? length(local.azs) : 0

  vpc_id = aws_vpc.this[0].id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[min(count.index, local.nat_gateway_count - 1)].id
  }

  tags = { Name = "${var.project}-private-${local.azs[count.index]}" }
}

resource "aws_route_table_association" "private" {
  count = local.create_vpc ? length(local.azs) : 0

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}
