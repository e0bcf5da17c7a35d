import { ApiProperty } from '@nestjs/swagger';
import { API_KEY_ROLES, ApiKeyRole } from '../api-key';

/** What the caller may do: its key's name and role, or that authentication is off. */
export class AccessSummaryDto {
  @ApiProperty({
    enum: ['api_key', 'off'],
    description: 'api_key: keys are enforced and this request carried a valid one. off: no keys are configured (development) or AUTH=none.',
  })
  authentication!: 'api_key' | 'off';

  @ApiProperty({ type: String, nullable: true, description: "The key's configured name (recorded on what it does); null when authentication is off.", example: 'etl' })
  key_name!: string | null;

  @ApiProperty({ enum: API_KEY_ROLES, description: 'What the caller may do: read (GET), write (uploads, batches) or admin (backups, restores). admin when authentication is off.' })
  role!: ApiKeyRole;
}
