import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Idempotency-Key headers and what the request that first sent each key was
 * answered. In the database, not in memory, so every instance behind a load
 * balancer sees the same keys and a claim is decided by the primary key.
 */
export class IdempotencyKeys1764600000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const instant = queryRunner.dataSource.options.type === 'postgres' ? 'timestamptz' : 'varchar';
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'route', type: 'varchar', length: '128', isNullable: false },
          { name: 'status', type: 'varchar', length: '16', isNullable: false },
          { name: 'fingerprint', type: 'varchar', length: '64', isNullable: true },
          { name: 'claim', type: 'varchar', length: '64', isNullable: false },
          { name: 'instance_id', type: 'varchar', length: '128', isNullable: false },
          { name: 'ingestion_id', type: 'integer', isNullable: true },
          { name: 'response_status', type: 'integer', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          { name: 'created_at', type: instant, isNullable: false },
          { name: 'heartbeat_at', type: instant, isNullable: false },
          { name: 'expires_at', type: instant, isNullable: true },
        ],
      }),
    );
    // Expired keys are purged before each claim.
    await queryRunner.createIndex('idempotency_keys', new TableIndex({ name: 'idx_idempotency_keys_expires_at', columnNames: ['expires_at'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
  }
}
