import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { ApiKeyRole } from './api-key';

export const ACCESS = 'api-key:access';
export type Access = ApiKeyRole | 'public';

export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'api_key';

/**
 * The role an operation needs, enforced by ApiKeyGuard and declared in the
 * OpenAPI document (both security schemes, x-required-role, 401 and 403), so
 * a generated client sends the key. An operation without it needs admin.
 */
export function RequiresRole(role: ApiKeyRole): MethodDecorator {
  return applyDecorators(
    SetMetadata(ACCESS, role),
    ApiBearerAuth(BEARER_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    ApiExtension('x-required-role', role),
    ApiProblemResponses({
      401: 'No API key, or not a valid one (when keys are configured).',
      403: `The API key's role is below ${role}.`,
    }),
  );
}

/** Open to everyone, keys or not (health probes). */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(ACCESS, 'public');
}
