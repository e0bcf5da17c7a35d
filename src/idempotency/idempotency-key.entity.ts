import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instantTransformer } from '../database/instant.transformer';

export type IdempotencyKeyStatus = 'in_progress' | 'completed';

/** An Idempotency-Key: claimed by the request that sent it first, then the answer that request got. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKey {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  /** `POST /employees/upload`: a key sent to another endpoint is another request. */
  @Column({ type: 'varchar', length: 128 })
  route!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: IdempotencyKeyStatus;

  /** SHA-256 of the route, the options and the content; set once the content has been read in full. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  fingerprint!: string | null;

  /** A random token of the request holding the key: only it may complete or release it. */
  @Column({ type: 'varchar', length: 64 })
  claim!: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 128 })
  instanceId!: string;

  /** Set in the transaction that commits the load: a key whose holder died after committing still answers with it. */
  @Column({ name: 'ingestion_id', type: 'integer', nullable: true })
  ingestionId!: number | null;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  @Column({ name: 'created_at', type: 'varchar', transformer: instantTransformer })
  createdAt!: string;

  @Column({ name: 'heartbeat_at', type: 'varchar', transformer: instantTransformer })
  heartbeatAt!: string;

  @Column({ name: 'expires_at', type: 'varchar', nullable: true, transformer: instantTransformer })
  expiresAt!: string | null;
}
